package io.cdcmarts.capture;

import io.cdcmarts.capture.position.OnMissingSlot;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A source database dropped (and its slot with it) and created again under a capture that stored
 * its position, on the embedded PostgreSQL and the real broker: the next start says so in one line
 * with the slot, the offsets topic and the fix; with {@code --on-missing-slot=resnapshot} it takes a
 * new snapshot into the same topics. And a slot name taken by another database of the server is
 * refused with that database's name and the option that picks another.
 */
class CaptureLostSlotIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private final Infra infra = SharedInfra.get();

    @TempDir
    Path dir;

    private CaptureConfig.Builder config(PgDsn db, String prefix) {
        return CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .heartbeatInterval(Duration.ofSeconds(1)).offsetFlushInterval(Duration.ofSeconds(1));
    }

    @ParameterizedTest(name = "offsets in {0}")
    @ValueSource(strings = {"kafka", "file"})
    void aRecreatedDatabaseIsExplainedInOneLineAndResnapshotsWhenAsked(String store) {
        // Given capture that snapshotted a database and stored its position (in the topic or a file), then stopped
        String prefix = "lost-slot-" + store + "-it";
        TopicNames topics = new TopicNames(prefix);
        PgDsn db = infra.newDatabase("lost_slot_" + store);
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        Path offsetsFile = store.equals("file") ? dir.resolve("offsets.dat") : null;
        String offsetsPlace = offsetsFile == null ? "Kafka topic " + topics.captureOffsets() : "file " + offsetsFile;
        CaptureConfig failing = config(db, prefix).offsetsFile(offsetsFile).build();
        try (CaptureService first = new CaptureService(failing, new SimpleMeterRegistry())) {
            first.start();
            await().atMost(WAIT).until(() -> RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items")).size() == 4
                    && (offsetsFile == null ? !RawTopics.read(infra.kafkaBootstrap(), topics.captureOffsets()).isEmpty()
                    : java.nio.file.Files.exists(offsetsFile)));
        }

        // When the database and its slot are dropped and the database is created again, with other values
        PgDsn admin = infra.postgres();
        dropSlot(failing.slot());
        Sql.run(admin, "DROP DATABASE " + db.database() + " WITH (FORCE)", "CREATE DATABASE " + db.database());
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        Sql.run(db, "UPDATE order_items SET quantity = quantity + 40", "UPDATE products SET price = 1.11 WHERE id = 1");

        // Then a start fails with one line naming the slot, the stored offset's place and the fix
        assertThatThrownBy(() -> new CaptureService(failing, new SimpleMeterRegistry()).start())
                .isInstanceOf(CaptureException.class)
                .hasMessageNotContaining("\n")
                .hasMessageContaining("replication slot '" + failing.slot() + "' is gone from PostgreSQL at")
                .hasMessageContaining("capture's offset in " + offsetsPlace + " is at LSN")
                .hasMessageContaining("DuckDB keeps what it has")
                .hasMessageContaining("--on-missing-slot=resnapshot");

        // When it starts with --on-missing-slot=resnapshot
        CaptureConfig resnapshot = config(db, prefix).offsetsFile(offsetsFile).onMissingSlot(OnMissingSlot.RESNAPSHOT).build();
        try (CaptureService again = new CaptureService(resnapshot, new SimpleMeterRegistry())) {
            again.start();

            // Then the new database's rows arrive as snapshot events in the same topics, and streaming follows
            Sql.run(db, "INSERT INTO order_items (order_ref, quantity, unit_price) VALUES (9, 9, 9.99)");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertFolded(db, topics, "order_items", List.of("id"));
                assertFolded(db, topics, "products", List.of("id"));
            });
        }
        try {
            // And the next start without the option simply resumes: the new slot keeps the new stored position
            try (CaptureService resumed = new CaptureService(failing, new SimpleMeterRegistry())) {
                resumed.start();
                Sql.run(db, "UPDATE order_items SET quantity = 1 WHERE order_ref = 9");
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertFolded(db, topics, "order_items", List.of("id")));
            }
        } finally {
            dropSlot(failing.slot());
        }
    }

    /** Drops a slot once the stopped capture's replication connection has let go of it. */
    private void dropSlot(String slot) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> Sql.run(infra.postgres(),
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
    }

    @Test
    void aSlotNameTakenByAnotherDatabaseNamesThatDatabaseAndTheOption() {
        // Given capture of one database that made slot 'shared_slot_it'
        PgDsn one = infra.newDatabase("slot_one");
        PgDsn two = infra.newDatabase("slot_two");
        for (PgDsn db : List.of(one, two)) {
            Sql.run(db, Sql.SCHEMA);
            Sql.run(db, Sql.SEED);
        }
        try {
            try (CaptureService first = new CaptureService(config(one, "slot-one-it").slot("shared_slot_it").build(),
                    new SimpleMeterRegistry())) {
                first.start();
                String items = new TopicNames("slot-one-it").raw("order_items");
                await().atMost(WAIT).until(() -> RawTopics.read(infra.kafkaBootstrap(), items).size() == 4);
            }

            // When capture of another database of the server is given the same slot name
            CaptureService second = new CaptureService(config(two, "slot-two-it").slot("shared_slot_it").build(),
                    new SimpleMeterRegistry());

            // Then it is refused, naming the database that holds the slot and the option to pick another
            assertThatThrownBy(second::start)
                    .isInstanceOf(CaptureException.class)
                    .hasMessageNotContaining("\n")
                    .hasMessageContaining("replication slot 'shared_slot_it' already exists")
                    .hasMessageContaining("belongs to database '" + one.database() + "'")
                    .hasMessageContaining("--slot");
        } finally {
            dropSlot("shared_slot_it");
        }
    }

    private void assertFolded(PgDsn db, TopicNames topics, String table, List<String> key) {
        assertThat(PgRows.fromFolded(RawTopics.fold(RawTopics.read(infra.kafkaBootstrap(), topics.raw(table))),
                PgRows.types(db, table), key))
                .as("folded %s", topics.raw(table))
                .isEqualTo(PgRows.fromPostgres(db, table, key));
    }
}
