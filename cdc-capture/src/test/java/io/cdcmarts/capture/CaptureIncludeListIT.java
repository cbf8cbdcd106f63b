package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --tables} with {@code --offsets-file}: only the listed tables, offsets in a file. */
class CaptureIncludeListIT {

    private final Infra infra = SharedInfra.get();

    @Test
    void capturesOnlyTheListedTablesAndKeepsOffsetsInTheFile(@TempDir Path dir) throws Exception {
        String prefix = "capture-tables-it";
        TopicNames topics = new TopicNames(prefix);
        PgDsn db = infra.newDatabase(prefix);
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        Path offsets = dir.resolve("offsets.dat");
        CaptureConfig config = CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .tables(List.of("order_items", "audit_log"))
                .offsetsFile(offsets)
                .offsetFlushInterval(Duration.ofSeconds(1))
                .build();

        try (CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
            capture.start();
            Sql.run(db, "INSERT INTO order_items (order_ref, quantity, unit_price) VALUES (9, 2, 3.10)",
                    "UPDATE products SET price = 1.00 WHERE id = 1");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    PgRows.fromFolded(RawTopics.fold(RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items"))),
                            PgRows.types(db, "order_items"), List.of("id")))
                    .isEqualTo(PgRows.fromPostgres(db, "order_items", List.of("id"))));
            assertThat(Sql.queryString(db, "SELECT string_agg(tablename, ',') FROM pg_publication_tables"
                    + " WHERE pubname = '" + config.publication() + "' AND schemaname = 'public'")).isEqualTo("order_items");
            assertThat(Sql.queryString(db, "SELECT string_agg(schemaname || '.' || tablename, ',') FROM pg_publication_tables"
                    + " WHERE pubname = '" + config.publication() + "' AND schemaname <> 'public'"))
                    .as("the signal table, for capture resnapshot").isEqualTo(config.signalTable().qualified());
        } finally {
            Sql.run(db, "SELECT pg_drop_replication_slot('" + config.slot() + "')");
        }
        assertThat(RawTopics.topicNames(infra.kafkaBootstrap()))
                .contains(topics.raw("order_items"))
                .doesNotContain(topics.raw("products"), topics.raw("audit_log"), topics.captureOffsets());
        assertThat(Files.size(offsets)).as("offsets stored in " + offsets).isPositive();
    }
}
