package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Capture stopped in the middle of a stream of writes and started again with the same
 * configuration: it resumes from the offsets stored in {@code <prefix>.capture.offsets} (no second
 * snapshot), and every row's latest state reaches its topic — what was written while capture was
 * down included. Events may repeat; none may be missing.
 */
class CaptureRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SECRET = "pw-never-in-a-log";
    private final Infra infra = SharedInfra.get();

    @Test
    void restartResumesFromTheOffsetsTopicAndMissesNothing() {
        // Given capture running over a database that keeps being written to
        String prefix = "capture-restart-it";
        TopicNames topics = new TopicNames(prefix);
        PgDsn server = infra.newDatabase(prefix);
        // The embedded server trusts local connections: the password is only there to be looked for in the logs.
        PgDsn db = PgDsn.of(server.host(), server.port(), server.database(), server.user(), SECRET);
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        CaptureConfig config = CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .heartbeatInterval(Duration.ofSeconds(1))
                .offsetFlushInterval(Duration.ofSeconds(1))
                .build();
        CompletableFuture<Void> writer;
        LogCapture logs = new LogCapture("io.debezium", "org.apache.kafka.connect", "io.cdcmarts.capture");
        try (CaptureService first = new CaptureService(config, new SimpleMeterRegistry())) {
            first.start();
            writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 300; i++) {
                    Sql.run(db, "INSERT INTO order_items (order_ref, quantity, unit_price) VALUES (" + (100 + i)
                            + ", " + (1 + i % 9) + ", " + (i % 50) + ".25)");
                }
            });
            await().atMost(WAIT).until(() -> RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items")).size() > 30);
            // When it is stopped mid-stream ...
        }
        long eventsBeforeRestart = RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items")).size();
        writer.join();
        // ... and more changes happen while it is down
        Sql.run(db,
                "UPDATE order_items SET quantity = quantity + 1 WHERE id % 7 = 0",
                "DELETE FROM order_items WHERE id % 11 = 0",
                "UPDATE products SET price = 99.90 WHERE id = 1",
                "INSERT INTO product_tags VALUES (3, 'after-restart')");
        assertThat(RawTopics.read(infra.kafkaBootstrap(), topics.captureOffsets()))
                .as("offsets stored in Kafka").isNotEmpty()
                .allSatisfy(m -> assertThat(m.valueJson().has("lsn")).isTrue());

        try (CaptureService second = new CaptureService(config, new SimpleMeterRegistry())) {
            second.start();

            // Then every row's latest state is in its topic
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertFolded(db, topics, "order_items", List.of("id"));
                assertFolded(db, topics, "products", List.of("id"));
                assertFolded(db, topics, "product_tags", List.of("product_id", "tag"));
            });
            // and the second instance streamed from the stored offsets instead of snapshotting again
            List<RawTopics.Message> items = RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items"));
            assertThat(items.subList((int) eventsBeforeRestart, items.size()))
                    .filteredOn(m -> m.value() != null)
                    .extracting(m -> m.event().op())
                    .isNotEmpty()
                    .doesNotContain("r");
        } finally {
            logs.close();
            Sql.run(db, "SELECT pg_drop_replication_slot('" + config.slot() + "')");
        }
        assertThat(logs.lines()).as("what capture and Debezium logged at INFO and above")
                .anySatisfy(line -> assertThat(line).contains("database.user"))
                .noneSatisfy(line -> assertThat(line).contains(SECRET));
    }

    private void assertFolded(PgDsn db, TopicNames topics, String table, List<String> key) {
        assertThat(PgRows.fromFolded(RawTopics.fold(RawTopics.read(infra.kafkaBootstrap(), topics.raw(table))),
                PgRows.types(db, table), key))
                .as("folded %s", topics.raw(table))
                .isEqualTo(PgRows.fromPostgres(db, table, key));
    }
}
