package io.cdcmarts.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.testing.Databases;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One capture service over the small shop schema of {@link Sql}, on the PostgreSQL a subclass
 * names: the snapshot, then streamed inserts, updates and deletes, a TOASTed column left untouched,
 * an added column and a table created later. After each step, every raw topic folded from offset 0
 * (latest value per key, tombstone = deleted) must equal the source table column by column.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractCaptureIT {

    protected static final Duration WAIT = Duration.ofSeconds(60);

    protected final Infra infra = SharedInfra.get();
    protected PgDsn db;
    protected TopicNames topics;
    protected CaptureService service;
    protected SimpleMeterRegistry registry;

    /** A superuser DSN of the server to test on. */
    protected abstract PgDsn server();

    /** The topic prefix of this class (also names slot and publication). */
    protected abstract String prefix();

    /** More tables or rows before capture starts. */
    protected void beforeCapture(PgDsn db) {
    }

    @BeforeAll
    void startCapture() {
        db = Databases.create(server(), prefix());
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        beforeCapture(db);
        topics = new TopicNames(prefix());
        CaptureConfig config = CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix()))
                .heartbeatInterval(Duration.ofSeconds(1))
                .offsetFlushInterval(Duration.ofSeconds(1))
                .publicationRefresh(Duration.ofMillis(500))
                .build();
        registry = new SimpleMeterRegistry();
        service = new CaptureService(config, registry);
        service.start();
    }

    @AfterAll
    void stopCapture() {
        if (service != null) {
            service.close();
            Sql.run(db, "SELECT pg_drop_replication_slot('" + service.config().slot() + "')");
        }
    }

    @Test
    @Order(1)
    void snapshotCarriesEveryRowOfEveryTableWithAPrimaryKey() {
        awaitTopicsEqualSource();

        assertThat(ops("products")).containsOnly("r");
        assertThat(ops("order_items")).containsOnly("r");
        assertEveryOrderItemEventHasItsTotalPrice();
        assertThat(RawTopics.topicNames(infra.kafkaBootstrap()))
                .as("a table without primary key has no raw topic")
                .doesNotContain(topics.raw("audit_log"))
                .contains(topics.captureOffsets());
    }

    @Test
    @Order(2)
    void streamedInsertsUpdatesAndDeletesFoldToTheSourceState() {
        Sql.run(db,
                "INSERT INTO products (name, category, price, updated_at) VALUES ('Cap', 'accessories', 12.00, now())",
                "UPDATE products SET price = 21.50, updated_at = '2024-03-01T12:34:56.789012+02' WHERE id = 1",
                "UPDATE products SET category = NULL WHERE id = 4",
                "DELETE FROM products WHERE id = 2",
                "INSERT INTO order_items (order_ref, quantity, unit_price) VALUES (3, 3, 2.35), (3, 11, 0.07)",
                "UPDATE order_items SET quantity = 5 WHERE id = 1",
                "UPDATE order_items SET unit_price = 99.99 WHERE id = 2",
                "DELETE FROM order_items WHERE id = 3",
                "INSERT INTO product_tags VALUES (4, 'new')",
                "DELETE FROM product_tags WHERE product_id = 2",
                "INSERT INTO audit_log (message) VALUES ('streamed')");

        awaitTopicsEqualSource();

        assertThat(ops("order_items")).contains("r", "c", "u", "d");
        assertEveryOrderItemEventHasItsTotalPrice();
        List<RawTopics.Message> items = RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items"));
        int delete = indexOf(items, "d", 3);
        assertThat(items.get(delete + 1).value()).as("a tombstone follows the delete").isNull();
        assertThat(items.get(delete + 1).keyJson().toString()).isEqualTo("{\"id\":3}");
        assertThat(RawTopics.read(infra.kafkaBootstrap(), topics.raw("product_tags")).get(0).keyJson().toString())
                .isEqualTo("{\"product_id\":1,\"tag\":\"summer\"}");
    }

    @Test
    @Order(3)
    void toastedColumnLeftUntouchedArrivesAsDebeziumsPlaceholder() {
        Sql.run(db, "UPDATE products SET price = 6.25 WHERE id = 3");

        await().atMost(WAIT).untilAsserted(() -> assertThat(lastEvent("products", 3))
                .satisfies(e -> assertThat(e.after().get("price").decimalValue()).isEqualByComparingTo("6.25")));
        RawChangeEvent update = lastEvent("products", 3);
        assertThat(update.op()).isEqualTo("u");
        assertThat(update.after().get("description").asText()).isEqualTo(RawChangeEvent.UNAVAILABLE_VALUE);
        awaitTopicsEqualSource();
    }

    @Test
    @Order(4)
    void columnAddedAtTheSourceAppearsInLaterEvents() {
        Sql.run(db,
                "ALTER TABLE products ADD COLUMN weight NUMERIC(6, 3)",
                "UPDATE products SET weight = 1.250 WHERE id = 1",
                "INSERT INTO products (name, price, weight) VALUES ('Bag', 30.00, 0.5)");

        awaitTopicsEqualSource();
        RawChangeEvent inserted = lastEvent("products", 5);
        ColumnSpec weight = inserted.columns().stream().filter(c -> c.name().equals("weight")).findFirst().orElseThrow();
        assertThat(weight.logical()).isEqualTo(ColumnSpec.DECIMAL);
        assertThat(weight.scale()).isEqualTo(3);
        assertThat(weight.precision()).isEqualTo(6);
    }

    @Test
    @Order(5)
    void tableCreatedAfterStartGetsItsCompactedTopic() {
        Sql.run(db,
                "CREATE TABLE late_arrivals (id INTEGER PRIMARY KEY, note TEXT, amount NUMERIC(8, 2))",
                "INSERT INTO late_arrivals VALUES (1, 'first', 1.10), (2, 'second', NULL)",
                "UPDATE late_arrivals SET amount = 2.20 WHERE id = 2");

        await().atMost(WAIT).untilAsserted(() -> assertTopicEqualsSource("late_arrivals", List.of("id")));
    }

    @Test
    @Order(6)
    void statusAndMetersCountWhatKafkaAcknowledged() {
        CaptureStatus status = service.status();

        assertThat(status.state()).isEqualTo(CaptureStatus.State.RUNNING);
        assertThat(status.lastLsn()).isPositive();
        assertThat(status.lastError()).isNull();
        assertThat(status.eventsSent()).containsKeys("products", "order_items", "product_tags", "late_arrivals")
                .doesNotContainKey("audit_log");
        assertThat(registry.get("cdc.capture.events").tag("table", "products").counter().count())
                .isEqualTo(status.eventsSent().get("products").doubleValue());
    }

    @Test
    @Order(7)
    void heartbeatsMoveTheSlotWhileCapturedTablesAreIdle() {
        // Given writes only to a table capture does not publish
        Sql.run(db, "CREATE SCHEMA IF NOT EXISTS elsewhere",
                "CREATE TABLE IF NOT EXISTS elsewhere.noise (id SERIAL PRIMARY KEY, v TEXT)");
        Sql.run(db, "INSERT INTO elsewhere.noise (v) SELECT md5(g::text) FROM generate_series(1, 1000) g");
        String walAfterWrites = Sql.queryString(db, "SELECT pg_current_wal_lsn()::text");

        // Then the slot's confirmed position passes them anyway: the source may recycle that WAL
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> "t".equals(Sql.queryString(db,
                "SELECT confirmed_flush_lsn >= '" + walAfterWrites + "'::pg_lsn FROM pg_replication_slots"
                        + " WHERE slot_name = '" + service.config().slot() + "'")));
    }

    @Test
    @Order(8)
    void keylessTablesNeverMakeAWriteFailAtTheSource() {
        try (LogCapture logs = new LogCapture("io.cdcmarts.capture.publication.TableSelection")) {
            // Given pgbench's tables, created and filled while capture runs; pgbench_history has no key
            Pgbench.run(db, "-i", "-s", "1", "-q");

            // Then the keyed ones are published by the keeper and their rows (written before) snapshotted
            await().atMost(WAIT.multipliedBy(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertTopicEqualsSource("pgbench_branches", List.of("bid"));
                assertTopicEqualsSource("pgbench_tellers", List.of("tid"));
                assertTopicEqualsSource("pgbench_accounts", List.of("aid"));
            });

            // When pgbench's own workload runs (it updates three keyed tables and inserts into the key-less one),
            // and the key-less tables (one there at start) are updated and deleted from
            Pgbench.run(db, "-n", "-c", "2", "-t", "50");
            Sql.run(db, "UPDATE pgbench_history SET delta = delta + 1", "DELETE FROM pgbench_history WHERE delta < 0",
                    "UPDATE audit_log SET message = 'edited'", "DELETE FROM audit_log WHERE message = 'edited'");

            // Then nothing failed at the source, every keyed table folds to its source, no key-less one has a topic
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertTopicEqualsSource("pgbench_branches", List.of("bid"));
                assertTopicEqualsSource("pgbench_tellers", List.of("tid"));
                assertTopicEqualsSource("pgbench_accounts", List.of("aid"));
            });
            assertThat(RawTopics.topicNames(infra.kafkaBootstrap()))
                    .doesNotContain(topics.raw("pgbench_history"), topics.raw("audit_log"));
            assertThat(Sql.queryString(db, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables"
                    + " WHERE pubname = '" + service.config().publication() + "' AND tablename LIKE 'pgbench%'"))
                    .isEqualTo("pgbench_accounts,pgbench_branches,pgbench_tellers");
            // And the key-less table is named once, with the fix, however many refreshes saw it
            assertThat(logs.lines()).filteredOn(l -> l.contains("public.pgbench_history is not captured"))
                    .singleElement().asString().contains("ADD PRIMARY KEY");
        }
    }

    @Test
    @Order(9)
    void aTableGivenAKeyIsCapturedAndOneThatLosesItIsUnpublished() {
        // Given a key-less table created while capture runs, written to
        Sql.run(db, "CREATE TABLE keyed_later (id INTEGER NOT NULL, note TEXT)",
                "INSERT INTO keyed_later VALUES (1, 'one'), (2, 'two')", "UPDATE keyed_later SET note = 'uno' WHERE id = 1");

        // When it gets a primary key: it is captured, rows from before included
        Sql.run(db, "ALTER TABLE keyed_later ADD PRIMARY KEY (id)");
        await().atMost(WAIT).untilAsserted(() -> assertTopicEqualsSource("keyed_later", List.of("id")));
        Sql.run(db, "UPDATE keyed_later SET note = 'dos' WHERE id = 2");
        await().atMost(WAIT).untilAsserted(() -> assertTopicEqualsSource("keyed_later", List.of("id")));

        // When it loses the key again: the keeper takes it out of the publication, and its UPDATEs work
        Sql.run(db, "ALTER TABLE keyed_later DROP CONSTRAINT keyed_later_pkey");
        await().atMost(WAIT).until(() -> "0".equals(Sql.queryString(db, "SELECT count(*) FROM pg_publication_tables"
                + " WHERE pubname = '" + service.config().publication() + "' AND tablename = 'keyed_later'")));
        Sql.run(db, "UPDATE keyed_later SET note = 'tres'", "DELETE FROM keyed_later WHERE id = 1");
        assertThat(service.status().state()).isEqualTo(CaptureStatus.State.RUNNING);
    }

    @Test
    @Order(10)
    void primaryKeyChangeKeepsTheUntouchedToastedValue() {
        // When the row with the out-of-line description gets a new key, the description untouched
        Sql.run(db, "UPDATE products SET id = 16 WHERE id = 3");

        // Then the create of key 16 carries the value itself (no row under key 16 to keep it from)
        await().atMost(WAIT).untilAsserted(() -> assertThat(RawTopics.read(infra.kafkaBootstrap(), topics.raw("products"))
                .stream().filter(m -> m.value() != null && m.keyJson().path("id").asLong() == 16)).isNotEmpty());
        RawChangeEvent created = lastEvent("products", 16);
        assertThat(created.op()).isEqualTo("c");
        assertThat(created.after().get("description").asText())
                .isEqualTo(Sql.queryString(db, "SELECT description FROM products WHERE id = 16"))
                .hasSize(12800);
        awaitTopicsEqualSource();

        // And a plain update of it still carries the placeholder (no query spent on those)
        Sql.run(db, "UPDATE products SET price = 7.75 WHERE id = 16");
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastEvent("products", 16).op()).isEqualTo("u"));
        assertThat(lastEvent("products", 16).after().get("description").asText()).isEqualTo(RawChangeEvent.UNAVAILABLE_VALUE);
    }

    // ------------------------------------------------------------------ helpers

    protected void awaitTopicsEqualSource() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertTopicEqualsSource("products", List.of("id"));
            assertTopicEqualsSource("order_items", List.of("id"));
            assertTopicEqualsSource("product_tags", List.of("product_id", "tag"));
        });
    }

    protected void assertTopicEqualsSource(String table, List<String> key) {
        Map<JsonNode, ObjectNode> folded = RawTopics.fold(RawTopics.read(infra.kafkaBootstrap(), topics.raw(table)));
        Map<String, String> types = PgRows.types(db, table);
        assertThat(PgRows.fromFolded(folded, types, key)).as("folded %s", topics.raw(table))
                .isEqualTo(PgRows.fromPostgres(db, table, key));
    }

    protected List<String> ops(String table) {
        return RawTopics.read(infra.kafkaBootstrap(), topics.raw(table)).stream()
                .filter(m -> m.value() != null).map(m -> m.event().op()).distinct().toList();
    }

    protected RawChangeEvent lastEvent(String table, long id) {
        List<RawTopics.Message> messages = RawTopics.read(infra.kafkaBootstrap(), topics.raw(table));
        for (int i = messages.size() - 1; i >= 0; i--) {
            RawTopics.Message m = messages.get(i);
            if (m.value() != null && m.keyJson().path("id").asLong() == id) {
                return m.event();
            }
        }
        throw new AssertionError("no event for " + table + " id " + id);
    }

    private static int indexOf(List<RawTopics.Message> messages, String op, long id) {
        for (int i = 0; i < messages.size(); i++) {
            RawTopics.Message m = messages.get(i);
            if (m.value() != null && m.keyJson().path("id").asLong() == id && op.equals(m.event().op())) {
                return i;
            }
        }
        throw new AssertionError("no '" + op + "' event for id " + id);
    }

    /** Snapshot and streamed alike: total_price = quantity * unit_price, in every after image. */
    protected void assertEveryOrderItemEventHasItsTotalPrice() {
        for (RawTopics.Message m : RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items"))) {
            if (m.value() == null || m.event().after() == null) {
                continue;
            }
            RawChangeEvent e = m.event();
            BigDecimal expected = e.after().get("unit_price").decimalValue()
                    .multiply(BigDecimal.valueOf(e.after().get("quantity").asLong())).setScale(2, RoundingMode.HALF_UP);
            assertThat(e.after().get("total_price"))
                    .as("total_price of a '%s' event of item %s", e.op(), m.keyJson()).isNotNull();
            assertThat(e.after().get("total_price").decimalValue())
                    .as("total_price of a '%s' event of item %s", e.op(), m.keyJson()).isEqualByComparingTo(expected);
            ColumnSpec spec = e.columns().stream().filter(c -> c.name().equals("total_price")).findFirst().orElseThrow();
            assertThat(spec.logical()).isEqualTo(ColumnSpec.DECIMAL);
            assertThat(spec.scale()).isEqualTo(2);
            assertThat(spec.precision()).isEqualTo(12);
        }
    }
}
