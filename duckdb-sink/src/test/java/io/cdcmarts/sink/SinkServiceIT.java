package io.cdcmarts.sink;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.testing.CaughtUp;
import io.cdcmarts.sink.testing.ChangeEvents;
import io.cdcmarts.sink.testing.Rows;
import io.cdcmarts.sink.testing.TestKafka;
import io.cdcmarts.sink.testing.TestKafka.Message;
import io.cdcmarts.testing.LeanMessages;
import io.cdcmarts.testing.LeanMessages.Lean;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cdcmarts.sink.testing.ChangeEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sink against a real Kafka broker and a real DuckDB file. */
class SinkServiceIT {

    @TempDir
    Path dir;

    private final String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    /** The events of a small customers table, for the tests that need only one. */
    private final ChangeEvents customers = ChangeEvents.table("customers").int64("id").string("email");
    private final List<SinkService> services = new ArrayList<>();
    private long sent;

    @AfterEach
    void stop() {
        services.forEach(SinkService::close);
    }

    private String topic(String layer, String name) {
        return prefix + "." + layer + "." + name;
    }

    private SinkService start(Path file, MeterRegistry registry) {
        SinkService s = new SinkService(config(file), registry, Clock.systemUTC(), BatchApplier.BeforeCommit.NONE);
        services.add(s);
        s.start();
        return s;
    }

    private SinkConfig config(Path file) {
        return SinkConfig.builder(KafkaSettings.of(TestKafka.bootstrap(), prefix))
                .duckdbPath(file).pollTimeout(Duration.ofMillis(200)).topicRefresh(Duration.ofSeconds(1)).build();
    }

    /**
     * A sink (not started) reading {@code poll} messages per poll that, while behind, holds a batch
     * for up to a million messages or five minutes: it writes only once caught up.
     */
    private SinkService foldingSink(MeterRegistry registry, int poll, BatchApplier.BeforeCommit hook) {
        return foldingSink(KafkaSettings.of(TestKafka.bootstrap(), prefix), registry, poll, hook);
    }

    private SinkService foldingSink(KafkaSettings kafka, MeterRegistry registry, int poll, BatchApplier.BeforeCommit hook) {
        SinkConfig config = SinkConfig.builder(kafka)
                .duckdbPath(dir.resolve("sink.duckdb")).pollTimeout(Duration.ofMillis(200)).topicRefresh(Duration.ofSeconds(1))
                .maxPollRecords(poll).maxBatchRecords(1_000_000).maxBatchWait(Duration.ofMinutes(5)).build();
        SinkService sink = new SinkService(config, registry, Clock.systemUTC(), hook);
        services.add(sink);
        return sink;
    }

    /**
     * Sends 50,000 inserts to {@code raw} (one partition), starts a folding sink reading one per
     * poll, and returns once it has read more than 100 of them: behind, with a batch in hand.
     */
    private SinkService partWayThroughFiftyThousandInserts(String raw, MeterRegistry registry) {
        TestKafka.createTopics(1, raw);
        List<Message> backlog = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            var c = row("id", i, "email", i + "@shop.test");
            backlog.add(Message.of(raw, customers.key(c), customers.insert(c)));
        }
        send(backlog);
        SinkService sink = foldingSink(registry, 1, BatchApplier.BeforeCommit.NONE);
        sink.start();
        TopicPartition partition = new TopicPartition(raw, 0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                .until(() -> sink.consumerLag().getOrDefault(partition, sent) < sent - 100);
        return sink;
    }

    private void send(List<Message> messages) {
        TestKafka.send(messages);
        sent += messages.size();
    }

    /** Waits until the sink has committed every message sent so far. */
    static void awaitCaughtUp(SinkService sink, String prefix, long messages) throws Exception {
        CaughtUp.awaitCommitted(sink, prefix, messages);
    }

    @Test
    void sinksEveryLayerIntoOneFileAndPicksUpAnAddedColumnWithoutARestart() throws Exception {
        // Given every layer's topics with changes of every kind, de-duplicated within one batch
        TestKafka.createTopics(1, topic("raw", "orders"), topic("stg", "orders"), topic("mart", "sales_daily"),
                topic("dlq", "orders"), prefix + ".quality.open_failures");
        ChangeEvents orders = ChangeEvents.table("orders").int64("id").string("status").decimal("total", 18, 2)
                .timestamptz("order_date").date("ship_date").string("notes");
        var o1 = row("id", 1, "status", "pending", "total", new BigDecimal("19.99"),
                "order_date", "2024-03-10T23:30:00-02:00", "ship_date", 19_800, "notes", "a very long note");
        var o1paid = row("id", 1, "status", "paid", "total", new BigDecimal("19.99"),
                "order_date", "2024-03-10T23:30:00-02:00", "ship_date", 19_800, "notes", RawChangeEvent.UNAVAILABLE_VALUE);
        var o2 = row("id", 2, "status", "paid", "total", new BigDecimal("0.10"),
                "order_date", "2024-03-11T00:00:00Z", "ship_date", null, "notes", null);
        var o3 = row("id", 3, "status", "cancelled", "total", new BigDecimal("123456789012.34"),
                "order_date", "2024-03-12T08:00:00Z", "ship_date", 19_801, "notes", "x");
        String raw = topic("raw", "orders");
        List<Message> messages = new ArrayList<>(List.of(
                Message.of(raw, orders.key(o1), orders.read(o1)),
                Message.of(raw, orders.key(o2), orders.insert(o2)),
                Message.of(raw, orders.key(o3), orders.insert(o3)),
                Message.of(raw, orders.key(o1paid), orders.update(o1, o1paid)),
                Message.of(raw, orders.key(o3), orders.delete(o3)),
                Message.of(raw, orders.key(o3), null)));
        ChangeEvents stg = ChangeEvents.table("orders").int64("id").string("status").timestamptz("_source_ts").int64("_lsn");
        var s1 = row("id", 1, "status", "paid", "_source_ts", "2023-11-14T22:13:21.003Z", "_lsn", 1003);
        var s2 = row("id", 2, "status", "paid", "_source_ts", "2023-11-14T22:13:21.001Z", "_lsn", 1001);
        messages.add(Message.of(topic("stg", "orders"), stg.key(s1), stg.typedRow(s1)));
        messages.add(Message.of(topic("stg", "orders"), stg.key(s2), stg.typedRow(s2)));
        messages.add(Message.of(topic("stg", "orders"), stg.key(s2), null));
        ChangeEvents daily = ChangeEvents.table("sales_daily").key("day").date("day").int64("orders").decimal("revenue", 18, 2);
        var d1 = row("day", 19_793, "orders", 1, "revenue", new BigDecimal("19.99"));
        messages.add(Message.of(topic("mart", "sales_daily"), daily.key(d1), daily.typedRow(d1)));
        DeadLetter dl = new DeadLetter("orders", null, null, List.of(new DeadLetter.Failure("accepted_values", "status", null, "bad status")),
                new DeadLetter.Source(raw, 0, 2, 1002, Instant.parse("2024-03-12T08:00:00Z")), Instant.parse("2024-03-12T08:00:01Z"), null);
        messages.add(Message.of(topic("dlq", "orders"), "{\"id\":3}".getBytes(StandardCharsets.UTF_8), dl.toBytes()));
        ChangeEvents failure = ChangeEvents.table("open_failures").string("table").string("key").string("checks").timestamptz("since");
        byte[] failureKey = "{\"table\":\"orders\",\"key\":{\"id\":3}}".getBytes(StandardCharsets.UTF_8);
        messages.add(Message.of(prefix + ".quality.open_failures", failureKey,
                failure.typedRow(row("table", "orders", "key", "{\"id\":3}", "checks", "accepted_values", "since", "2024-03-12T08:00:01Z"))));
        send(messages);

        // When the sink runs
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkService sink = start(dir.resolve("nested/dir/sink.duckdb"), registry);
        awaitCaughtUp(sink, prefix, sent);

        // Then every layer is in its schema, folded to the source's state
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, status, total, order_date, ship_date, notes, _op FROM raw.orders ORDER BY id"))
                    .containsExactly(
                            row("id", 1L, "status", "paid", "total", new BigDecimal("19.99"),
                                    "order_date", Instant.parse("2024-03-11T01:30:00Z"), "ship_date", LocalDate.ofEpochDay(19_800),
                                    "notes", "a very long note", "_op", "u"),
                            row("id", 2L, "status", "paid", "total", new BigDecimal("0.10"),
                                    "order_date", Instant.parse("2024-03-11T00:00:00Z"), "ship_date", null, "notes", null, "_op", "c"));
            assertThat(Rows.query(c, "SELECT id, status, _source_ts, _lsn FROM stg.orders"))
                    .containsExactly(row("id", 1L, "status", "paid", "_source_ts", Instant.parse("2023-11-14T22:13:21.003Z"), "_lsn", 1003L));
            assertThat(Rows.query(c, "SELECT * FROM mart.sales_daily"))
                    .containsExactly(row("day", LocalDate.ofEpochDay(19_793), "orders", 1L, "revenue", new BigDecimal("19.99")));
            assertThat(Rows.query(c, "SELECT source_topic, source_offset, \"table\", checks, reported_by FROM quality.dead_letters"))
                    .containsExactly(row("source_topic", raw, "source_offset", 2L, "table", "orders",
                            "checks", List.of("accepted_values"), "reported_by", "processor"));
            assertThat(Rows.query(c, "SELECT \"table\", \"key\", checks FROM quality.open_failures"))
                    .containsExactly(row("table", "orders", "key", "{\"id\":3}", "checks", "accepted_values"));
        }
        assertThat(sink.status().rowsApplied("raw")).isEqualTo(3);
        assertThat(sink.status().newestSourceTs()).isEqualTo(Instant.ofEpochMilli(ChangeEvents.sourceTsMs(1004)));
        assertThat(registry.get("cdc.sink.rows.applied").tag("layer", "raw").counter().count()).isEqualTo(3.0);

        // When the source adds a column, and the open failure is fixed
        ChangeEvents widened = orders.withColumn("coupon", "string", null);
        var o4 = row("id", 4, "status", "paid", "total", new BigDecimal("5.00"), "order_date", "2024-03-13T00:00:00Z",
                "ship_date", null, "notes", null, "coupon", "SPRING");
        send(List.of(Message.of(raw, widened.key(o4), widened.insert(o4)),
                Message.of(prefix + ".quality.open_failures", failureKey, null)));
        awaitCaughtUp(sink, prefix, sent);

        // Then the column is there, without a restart, and the open failure is gone
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, coupon FROM raw.orders ORDER BY id"))
                    .extracting(m -> m.get("id") + ":" + m.get("coupon")).containsExactly("1:null", "2:null", "4:SPRING");
            assertThat(Rows.count(c, "quality.open_failures")).isZero();
        }
    }

    @Test
    void leanRawMessagesFindTheirSchemaBesideInlineOnesAndASchemaWrittenLaterIsPickedUpWithoutARestart() throws Exception {
        // Given a raw topic holding an inline message (written before the lean format) and lean ones
        TopicNames names = new TopicNames(prefix);
        String raw = names.raw("orders");
        TestKafka.createTopics(1, raw, names.schemas());
        ChangeEvents orders = ChangeEvents.table("orders").int64("id").string("status").decimal("total", 18, 2);
        var o1 = row("id", 1, "status", "paid", "total", new BigDecimal("19.99"));
        var o2 = row("id", 2, "status", "pending", "total", new BigDecimal("0.10"));
        Lean lean2 = LeanMessages.of(orders.insert(o2));
        // and one naming a schema nobody wrote
        var o9 = row("id", 9, "status", "paid", "total", new BigDecimal("1.00"));
        Lean orphan = LeanMessages.of(orders.insert(o9));
        sendRecords(List.of(new ProducerRecord<>(raw, orders.key(o1), orders.insert(o1)),
                lean2.schemaEntry(names), lean2.raw(raw, orders.key(o2)),
                new Lean("f".repeat(32), orphan.schemaJson(), orphan.payload()).raw(raw, orders.key(o9))));

        // When the sink runs
        SinkService sink = start(dir.resolve("sink.duckdb"), new SimpleMeterRegistry());
        awaitCaughtUp(sink, prefix, sent);

        // Then both forms are rows, typed alike, and the orphan is a dead letter that names its schema
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, status, total FROM raw.orders ORDER BY id")).containsExactly(
                    row("id", 1L, "status", "paid", "total", new BigDecimal("19.99")),
                    row("id", 2L, "status", "pending", "total", new BigDecimal("0.10")));
            assertThat(Rows.query(c, "SELECT source_offset, checks, reported_by FROM quality.dead_letters"))
                    .containsExactly(row("source_offset", 2L, "checks", List.of("malformed"), "reported_by", "sink"));
            assertThat(Rows.query(c, "SELECT failures FROM quality.dead_letters").get(0).get("failures").toString())
                    .contains("f".repeat(32)).contains(names.schemas());
        }

        // When the source adds a column: a new schema, written after the sink read the schema topic
        ChangeEvents widened = orders.withColumn("coupon", "string", null);
        var o3 = row("id", 3, "status", "paid", "total", new BigDecimal("5.00"), "coupon", "SPRING");
        Lean lean3 = LeanMessages.of(widened.insert(o3));
        sendRecords(List.of(lean3.schemaEntry(names), lean3.raw(raw, widened.key(o3))));
        awaitCaughtUp(sink, prefix, sent);

        // Then the new column arrives, without a restart
        assertThat(lean3.schemaId()).isNotEqualTo(lean2.schemaId());
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, coupon FROM raw.orders ORDER BY id"))
                    .extracting(m -> m.get("id") + ":" + m.get("coupon")).containsExactly("1:null", "2:null", "3:SPRING");
        }
    }

    @Test
    void leanTypedRowsOfStagingMartsAndOpenFailuresAreReadBesideInlineOnes() throws Exception {
        // Given staging, mart and open-failure topics as the processor writes them now (values alone,
        // the schema named by the header) after an inline row an earlier version wrote
        TopicNames names = new TopicNames(prefix);
        String stgTopic = names.stg("orders");
        String martTopic = names.mart("sales_daily");
        TestKafka.createTopics(1, stgTopic, martTopic, names.openFailures(), names.schemas());
        ChangeEvents stg = ChangeEvents.table("orders").int64("id").string("status").timestamptz("_source_ts").int64("_lsn");
        var s1 = row("id", 1, "status", "paid", "_source_ts", "2023-11-14T22:13:21.003Z", "_lsn", 1003);
        var s2 = row("id", 2, "status", "shipped", "_source_ts", "2023-11-14T22:13:21.004Z", "_lsn", 1004);
        Lean leanS2 = LeanMessages.of(stg.typedRow(s2));
        ChangeEvents daily = ChangeEvents.table("sales_daily").key("day").date("day").int64("orders").decimal("revenue", 18, 2);
        var d1 = row("day", 19_793, "orders", 2, "revenue", new BigDecimal("40.10"));
        Lean leanD1 = LeanMessages.of(daily.typedRow(d1));
        ChangeEvents failure = ChangeEvents.table("open_failures").string("table").string("key").string("checks").timestamptz("since");
        Lean leanF = LeanMessages.of(failure.typedRow(row("table", "orders", "key", "{\"id\":3}", "checks", "accepted_values",
                "since", "2024-03-12T08:00:01Z")));
        sendRecords(List.of(new ProducerRecord<>(stgTopic, stg.key(s1), stg.typedRow(s1)),
                leanS2.schemaEntry(names), leanS2.raw(stgTopic, stg.key(s2)),
                leanD1.schemaEntry(names), leanD1.raw(martTopic, daily.key(d1)),
                leanF.schemaEntry(names), leanF.raw(names.openFailures(),
                        "{\"table\":\"orders\",\"key\":{\"id\":3}}".getBytes(StandardCharsets.UTF_8))));

        // When the sink runs
        SinkService sink = start(dir.resolve("sink.duckdb"), new SimpleMeterRegistry());
        awaitCaughtUp(sink, prefix, sent);

        // Then both forms are rows of the same tables, typed alike, and nothing is a dead letter
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, status, _lsn FROM stg.orders ORDER BY id")).containsExactly(
                    row("id", 1L, "status", "paid", "_lsn", 1003L), row("id", 2L, "status", "shipped", "_lsn", 1004L));
            assertThat(Rows.query(c, "SELECT orders, revenue FROM mart.sales_daily"))
                    .containsExactly(row("orders", 2L, "revenue", new BigDecimal("40.10")));
            assertThat(Rows.query(c, "SELECT \"table\", checks FROM quality.open_failures"))
                    .containsExactly(row("table", "orders", "checks", "accepted_values"));
            assertThat(Rows.count(c, "quality.dead_letters")).isZero();
        }
    }

    /** Sends records as they are (headers and all), counting those the sink reads; waits for every ack. */
    private void sendRecords(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(); // in order: a schema is on its topic before the message naming it
                if (!r.topic().endsWith(".schemas")) {
                    sent++;
                }
            }
        }
    }

    @Test
    void aLargeUnreadableMessageIsADeadLetterWithAPrefixItsLengthAndItsDigest() throws Exception {
        // Given a ~900 KB value that is not JSON on a raw topic, then a good event
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw);
        byte[] huge = "#".repeat(900 * 1024).getBytes(StandardCharsets.UTF_8);
        var c1 = row("id", 1, "email", "a@b.c");
        send(List.of(
                Message.of(raw, "{\"id\":9}".getBytes(StandardCharsets.UTF_8), huge),
                Message.of(raw, customers.key(c1), customers.insert(c1))));

        // When the sink runs
        SinkService sink = start(dir.resolve("sink.duckdb"), new SimpleMeterRegistry());
        awaitCaughtUp(sink, prefix, sent);

        // Then the good row is in, and the dead letter keeps the first 64 KiB, the length and the SHA-256
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id FROM raw.customers")).containsExactly(row("id", 1L));
            List<Map<String, Object>> dead = Rows.query(c,
                    "SELECT source_offset, raw_base64, raw_length, raw_sha256 FROM quality.dead_letters");
            assertThat(dead).hasSize(1);
            assertThat(Base64.getDecoder().decode((String) dead.get(0).get("raw_base64")))
                    .isEqualTo(java.util.Arrays.copyOf(huge, io.cdcmarts.common.event.KeptBytes.WHOLE_LIMIT));
            assertThat(dead.get(0)).containsEntry("source_offset", 0L).containsEntry("raw_length", (long) huge.length)
                    .containsEntry("raw_sha256", java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(huge)));
        }
        assertThat(sink.status().running()).isTrue();
    }

    @Test
    void malformedMessagesAreDeadLetteredAndNeverStopTheSink() throws Exception {
        // Given garbage, JSON of the wrong shape, a tombstone for a table that does not exist (a delete of
        // nothing, not an error), then a good event
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw, topic("raw", "ghosts"));
        var c1 = row("id", 1, "email", "a@b.c");
        byte[] garbage = {(byte) 0xC3, 0x28, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n'};
        send(List.of(
                Message.of(raw, "{\"id\":9}".getBytes(StandardCharsets.UTF_8), garbage),
                Message.of(raw, "{\"id\":9}".getBytes(StandardCharsets.UTF_8), "{\"payload\": []}".getBytes(StandardCharsets.UTF_8)),
                Message.of(topic("raw", "ghosts"), "{\"id\":1}".getBytes(StandardCharsets.UTF_8), null),
                Message.of(raw, customers.key(c1), customers.insert(c1))));

        // When the sink runs
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkService sink = start(dir.resolve("sink.duckdb"), registry);
        awaitCaughtUp(sink, prefix, sent);

        // Then the good row is in, and each bad message is a dead letter with its bytes and coordinates
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, email FROM raw.customers")).containsExactly(row("id", 1L, "email", "a@b.c"));
            List<Map<String, Object>> dead = Rows.query(c, "SELECT source_topic, source_offset, \"table\", checks, raw_base64, "
                    + "reported_by, failures->>'$[0].message' AS reason FROM quality.dead_letters ORDER BY source_topic, source_offset");
            assertThat(dead).hasSize(2);
            assertThat(dead).allSatisfy(d -> assertThat(d).containsEntry("checks", List.of("malformed")).containsEntry("reported_by", "sink"));
            assertThat(dead.get(0)).containsEntry("source_topic", raw).containsEntry("source_offset", 0L)
                    .containsEntry("raw_base64", Base64.getEncoder().encodeToString(garbage));
            assertThat((String) dead.get(1).get("reason")).contains("payload");
            assertThat(Rows.query(c, "SELECT table_name FROM information_schema.tables WHERE table_name = 'ghosts'")).isEmpty();
        }
        // The sink counts a batch just after its commit becomes visible: wait for the counters too.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sink.status().malformed()).isEqualTo(2);
            assertThat(registry.get("cdc.sink.malformed").tag("layer", "raw").counter().count()).isEqualTo(2.0);
            assertThat(registry.get("cdc.sink.tombstones.unknown.table").tag("layer", "raw").counter().count()).isEqualTo(1.0);
        });
        assertThat(sink.status().running()).isTrue();
    }

    @Test
    void whileBehindPollsAreFoldedIntoOneBatchAndOnceCaughtUpAPollIsWrittenAtOnce() throws Exception {
        // Given 3,000 changes waiting, and a sink reading 200 per poll that would hold a batch
        // for up to a million messages or five minutes while it is behind
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw);
        List<Message> backlog = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            var before = row("id", i % 1_000, "email", "v" + (i / 1_000 - 1) + "@shop.test");
            var after = row("id", i % 1_000, "email", "v" + (i / 1_000) + "@shop.test");
            backlog.add(Message.of(raw, customers.key(after), i < 1_000 ? customers.insert(after) : customers.update(before, after)));
        }
        send(backlog);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkService sink = foldingSink(registry, 200, BatchApplier.BeforeCommit.NONE);

        // When it starts behind
        sink.start();
        awaitCaughtUp(sink, prefix, sent);

        // Then it wrote polls folded together (one poll holds 200 at most), each key's last change once
        assertThat(registry.summary("cdc.sink.batch.records").max()).isGreaterThan(200);
        assertThat(sink.status().batches()).isLessThan(15);
        try (Connection c = sink.openReader()) {
            assertThat(Rows.count(c, "raw.customers")).isEqualTo(1_000);
            assertThat(Rows.count(c, "raw.customers WHERE email <> 'v2@shop.test'")).isZero();
        }

        // And once caught up, a new change is written without waiting out the five minutes
        var late = row("id", 5_000, "email", "late@shop.test");
        send(List.of(Message.of(raw, customers.key(late), customers.insert(late))));
        awaitCaughtUp(sink, prefix, sent);
        try (Connection c = sink.openReader()) {
            assertThat(Rows.count(c, "raw.customers")).isEqualTo(1_001);
        }
    }

    @Test
    void fewerMessagesWaitingThanOnePollTakesAreWrittenPollByPollNotHeldForTheRest() throws Exception {
        // Given 150 changes waiting, each its own producer batch, and a sink reading up to 200 per
        // poll whose fetches bring about one producer batch per partition (max.partition.fetch.bytes
        // 1: a fetch always returns its first batch; fetch.min.bytes 1, so that such a fetch does
        // not wait for the sink's default megabyte), so after each poll a few messages still wait;
        // it would hold a batch for up to a million messages or five minutes while behind
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (int i = 0; i < 150; i++) {
                var c = row("id", i, "email", i + "@shop.test");
                producer.send(new ProducerRecord<>(raw, customers.key(c), customers.insert(c))).get();
            }
        }
        sent += 150;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaSettings smallFetches = new KafkaSettings(TestKafka.bootstrap(), new TopicNames(prefix), 1, (short) 1,
                Map.of("max.partition.fetch.bytes", "1", "fetch.min.bytes", "1"));
        SinkService sink = foldingSink(smallFetches, registry, 200, BatchApplier.BeforeCommit.NONE);

        // When it starts
        sink.start();
        awaitCaughtUp(sink, prefix, sent);

        // Then it wrote poll by poll: 150 waiting is less than one poll takes, no backlog worth
        // holding rows for (before, any message waiting anywhere kept the batch open, and a steady
        // stream kept it open until --max-batch-wait)
        // (the sink counts a batch just after its commit becomes visible: wait for the counts too)
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.summary("cdc.sink.batch.records").totalAmount() == 150);
        assertThat(registry.summary("cdc.sink.batch.records").count()).isGreaterThan(1);
        assertThat(registry.summary("cdc.sink.batch.records").max()).isLessThan(150);
        try (Connection c = sink.openReader()) {
            assertThat(Rows.count(c, "raw.customers")).isEqualTo(150);
        }
    }

    @Test
    void aCleanStopWhileBehindWritesTheBatchInHand() throws Exception {
        // Given a sink part of the way through 50,000 inserts, folding them while behind
        String raw = topic("raw", "customers");
        Path file = dir.resolve("sink.duckdb");
        SinkService sink = partWayThroughFiftyThousandInserts(raw, new SimpleMeterRegistry());

        // When it is stopped there, still behind
        sink.close();

        // Then what it had read is in the file, whole: rows and offset agree
        Properties readOnly = new Properties();
        readOnly.setProperty("access_mode", "READ_ONLY");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), readOnly)) {
            long stored = ((Number) Rows.scalar(c, "SELECT next_offset FROM _cdc.offsets WHERE topic = ?", raw)).longValue();
            assertThat(stored).isGreaterThanOrEqualTo(100).isLessThan(sent);
            assertThat(Rows.count(c, "raw.customers")).isEqualTo(stored);
            assertThat(Rows.scalar(c, "SELECT max(id) FROM raw.customers")).isEqualTo(stored - 1);
        }
    }

    @Test
    void aRebalanceWhileBehindLosesAndRepeatsNothing() throws Exception {
        // Given a sink part of the way through 50,000 inserts, folding them while behind
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkService sink = partWayThroughFiftyThousandInserts(topic("raw", "customers"), registry);

        // When a new table's topic appears part of the way through: the subscription picks it up
        // and the group rebalances, revoking the partition the batch in hand was read from
        String added = topic("raw", "addresses");
        TestKafka.createTopics(1, added);
        var address = row("id", 1, "email", "home@shop.test");
        send(List.of(Message.of(added, customers.key(address), customers.insert(address))));
        awaitCaughtUp(sink, prefix, sent);

        // Then every message was applied once: all rows there, each message counted once
        try (Connection c = sink.openReader()) {
            assertThat(Rows.count(c, "raw.customers")).isEqualTo(50_000);
            assertThat(Rows.scalar(c, "SELECT count(DISTINCT id) FROM raw.customers")).isEqualTo(50_000L);
            assertThat(Rows.count(c, "raw.addresses")).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                registry.find("cdc.sink.records.consumed").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo((double) sent));
    }

    @Test
    void aFoldedBatchThatFailsIsReadAgainWholeFromTheStoredOffsets() throws Exception {
        // Given 1,000 changes waiting (inserts, then updates and deletes of the same keys), and a
        // sink reading 100 per poll whose first COMMIT fails
        String raw = topic("raw", "customers");
        TestKafka.createTopics(2, raw);
        List<Message> backlog = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            var c = row("id", i, "email", "first" + i + "@shop.test");
            backlog.add(Message.of(raw, customers.key(c), customers.insert(c)));
        }
        for (int i = 0; i < 500; i++) {
            var before = row("id", i, "email", "first" + i + "@shop.test");
            var after = row("id", i, "email", "second" + i + "@shop.test");
            backlog.add(Message.of(raw, customers.key(after), i % 5 == 0 ? customers.delete(before) : customers.update(before, after)));
        }
        send(backlog);
        AtomicInteger commits = new AtomicInteger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkService sink = foldingSink(registry, 100, batch -> {
            if (commits.incrementAndGet() == 1) {
                throw new IllegalStateException("simulated failure of a folded batch's COMMIT");
            }
        });

        // When it starts behind, and its first batch is rolled back
        sink.start();
        awaitCaughtUp(sink, prefix, sent);

        // Then the batch was read again from DuckDB's offsets, whole: every message counted once,
        // every key's last change applied
        assertThat(sink.status().failedBatches()).isEqualTo(1);
        assertThat(registry.summary("cdc.sink.batch.records").max()).isGreaterThan(100);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                registry.find("cdc.sink.records.consumed").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(1_000.0));
        try (Connection c = sink.openReader()) {
            assertThat(Rows.count(c, "raw.customers")).isEqualTo(400);
            assertThat(Rows.count(c, "raw.customers WHERE starts_with(email, 'second')")).isEqualTo(400);
            assertThat(Rows.count(c, "raw.customers WHERE id % 5 = 0")).isZero();
        }
    }

    @Test
    void aPartitionHoldingOnlyAnAbortedTransactionIsCommittedAtItsEndSoItsLagReadsZero() throws Exception {
        // Given a topic whose only messages belong to an aborted transaction (a processor killed
        // mid-transaction leaves this): a read_committed consumer sees no record, only moves past them
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw);
        var c1 = row("id", 1, "email", "a@b.c");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "-aborted"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(raw, customers.key(c1), customers.insert(c1))).get();
            producer.abortTransaction();
        }
        TopicPartition partition = new TopicPartition(raw, 0);
        long end = 2; // the aborted record and the abort marker
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            // the coordinator writes the abort marker after abortTransaction() returns
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset() == end);

            // When a sink starts on it
            SinkService sink = start(dir.resolve("sink.duckdb"), new SimpleMeterRegistry());

            // Then it commits its position at the end, though no batch ever read a record there
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin
                    .listConsumerGroupOffsets(config(dir.resolve("sink.duckdb")).groupId())
                    .partitionsToOffsetAndMetadata().get().get(partition)).isNotNull()
                    .extracting(OffsetAndMetadata::offset).isEqualTo(end));
            assertThat(sink.status().batches()).isZero();
        }
    }

    @Test
    void aBatchDuckDbRefusesIsRolledBackAndRetriedUntilItCommits() throws Exception {
        // Given a row the sink applied to a table with a declared primary key (as earlier versions
        // created them: the sink's own tables have none, and never meet the refusal below), and a
        // reader whose snapshot is older than the row's delete
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw);
        var c1 = row("id", 1, "email", "a@b.c");
        send(List.of(Message.of(raw, customers.key(c1), customers.insert(c1))));
        SinkService sink = start(dir.resolve("sink.duckdb"), new SimpleMeterRegistry());
        awaitCaughtUp(sink, prefix, sent);
        try (Connection c = sink.openReader(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE raw.customers ADD PRIMARY KEY (id)");
        }
        Connection oldReader = sink.openReader();
        oldReader.setAutoCommit(false);
        assertThat(Rows.count(oldReader, "raw.customers")).isEqualTo(1);
        send(List.of(Message.of(raw, customers.key(c1), customers.delete(c1)), Message.of(raw, customers.key(c1), null)));
        awaitCaughtUp(sink, prefix, sent);

        // When the row comes back while that snapshot is still open: DuckDB 1.4 refuses to insert a
        // key deleted after an open transaction began (the over-eager constraint check fixed by
        // duckdb#20119; when an upgrade brings the fix, this batch simply commits the first time)
        var c1again = row("id", 1, "email", "again@b.c");
        send(List.of(Message.of(raw, customers.key(c1again), customers.insert(c1again))));
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.status().failedBatches() >= 1);
        assertThat(sink.status().lastError()).contains("Duplicate key");

        // Then once the reader is done, the retried batch commits, nothing lost
        oldReader.commit();
        oldReader.close();
        awaitCaughtUp(sink, prefix, sent);
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, email FROM raw.customers")).containsExactly(row("id", 1L, "email", "again@b.c"));
        }
        assertThat(sink.status().running()).isTrue();
    }
}
