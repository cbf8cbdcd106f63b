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
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code --snapshot-mode incremental}: the first start streams at once and reads every table as an
 * incremental snapshot in key chunks; stopped in the middle of it and started again, capture goes
 * on from the chunk it had reached instead of reading the tables from the start, and every row's
 * latest state (changes made during the snapshot included) reaches its topic.
 */
class CaptureIncrementalSnapshotIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int ROWS = 50_000;
    private static final int CHUNK = 500;
    /** Read events seen before the first capture is stopped: a few chunks into the large table. */
    private static final int STOP_AFTER = 4 * CHUNK;

    private final Infra infra = SharedInfra.get();

    @Test
    void aStoppedIncrementalSnapshotResumesWhereItStoppedAndMissesNothing() {
        // Given a table of 50,000 rows, more than a few chunks
        String prefix = "capture-incremental-it";
        TopicNames topics = new TopicNames(prefix);
        PgDsn db = infra.newDatabase(prefix);
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        // Debezium's incremental snapshots cannot read stored generated columns (the test below)
        Sql.run(db, "ALTER TABLE order_items DROP COLUMN total_price");
        Sql.run(db, "INSERT INTO order_items (order_ref, quantity, unit_price) SELECT g, 1 + g % 9, (g % 50) + 0.25"
                + " FROM generate_series(1, " + ROWS + ") g");
        long firstId = Long.parseLong(Sql.queryString(db, "SELECT min(id) FROM order_items"));
        CaptureConfig config = CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .snapshotMode("incremental")
                .heartbeatInterval(Duration.ofSeconds(1))
                .offsetFlushInterval(Duration.ofSeconds(1))
                .debezium(Map.of("incremental.snapshot.chunk.size", Integer.toString(CHUNK)))
                .build();

        long streamed = Long.parseLong(Sql.queryString(db, "SELECT count(*) FILTER (WHERE id % 997 = 0)"
                + " + 2 * count(*) FILTER (WHERE id % 1009 = 0) + 2 FROM order_items"));

        try {
            // When capture starts for the first time, rows change while it snapshots, and it is stopped mid-snapshot
            try (CaptureService first = new CaptureService(config, new SimpleMeterRegistry())) {
                first.start();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> Sql.run(db,
                        "UPDATE order_items SET quantity = quantity + 100 WHERE id % 997 = 0",
                        "DELETE FROM order_items WHERE id % 1009 = 0",
                        "INSERT INTO order_items (order_ref, quantity, unit_price) VALUES (-1, 1, 9.99), (-2, 2, 8.88)",
                        "UPDATE products SET price = 77.70 WHERE id = 1"));
                // eventsSent counts the writer's streamed changes too (a delete is two: the event and
                // its tombstone); on a busy machine they can all come before the snapshot's chunks, so
                // wait for the writer and then for STOP_AFTER events beyond the most it can have caused
                writer.join();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                        .until(() -> first.status().eventsSent().getOrDefault("order_items", 0L) >= STOP_AFTER + streamed);
            }
            List<RawTopics.Message> firstRun = RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items"));
            long readBeforeStop = reads(firstRun);
            assertThat(readBeforeStop).as("the first capture stopped in the middle of the snapshot")
                    .isGreaterThanOrEqualTo(STOP_AFTER).isLessThan(ROWS / 2);

            // Then started again, it finishes the snapshot and every table folds to its source
            try (CaptureService second = new CaptureService(config, new SimpleMeterRegistry())) {
                second.start();
                await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertFolded(db, topics, "order_items", List.of("id"));
                    assertFolded(db, topics, "products", List.of("id"));
                    assertFolded(db, topics, "product_tags", List.of("product_id", "tag"));
                });
            }
            // ... from where it stopped: the second run read fewer rows than the table holds, the first chunk not again
            List<RawTopics.Message> all = RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items"));
            long readBySecond = reads(all.subList(firstRun.size(), all.size()));
            long rowsNow = Long.parseLong(Sql.queryString(db, "SELECT count(*) FROM order_items"));
            assertThat(readBySecond).as("read events after the restart (a snapshot started over reads all %d rows)", rowsNow)
                    .isPositive().isLessThan(rowsNow - readBeforeStop + 2L * CHUNK);
            assertThat(all).as("the first row was read once")
                    .filteredOn(m -> m.value() != null && "r".equals(m.event().op()) && m.keyJson().path("id").asLong() == firstId)
                    .hasSize(1);
        } finally {
            Sql.run(db, "SELECT pg_drop_replication_slot('" + config.slot() + "')");
        }
    }

    @Test
    void refusesAtStartATableWithAStoredGeneratedColumn() {
        String prefix = "capture-incremental-generated-it";
        PgDsn db = infra.newDatabase(prefix);
        Sql.run(db, Sql.SCHEMA);
        CaptureConfig config = CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .snapshotMode("incremental")
                .build();

        try (CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
            assertThatThrownBy(capture::start).isInstanceOf(CaptureException.class)
                    .hasMessageContaining("--snapshot-mode incremental cannot read [order_items]")
                    .hasMessageContaining("dbz#2020").hasMessageContaining("--snapshot-mode initial");
        }
        assertThat(Sql.queryString(db, "SELECT count(*) FROM pg_publication WHERE pubname = '"
                + config.publication() + "'")).as("nothing made on the source before the refusal").isEqualTo("0");
    }

    private static long reads(List<RawTopics.Message> messages) {
        return messages.stream().filter(m -> m.value() != null && "r".equals(m.event().op())).count();
    }

    private void assertFolded(PgDsn db, TopicNames topics, String table, List<String> key) {
        assertThat(PgRows.fromFolded(RawTopics.fold(RawTopics.read(infra.kafkaBootstrap(), topics.raw(table))),
                PgRows.types(db, table), key))
                .as("folded %s", topics.raw(table))
                .isEqualTo(PgRows.fromPostgres(db, table, key));
    }
}
