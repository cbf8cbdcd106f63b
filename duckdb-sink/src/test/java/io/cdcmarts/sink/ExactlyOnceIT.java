package io.cdcmarts.sink;

import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.testing.ChangeEvents;
import io.cdcmarts.sink.testing.OrderItems;
import io.cdcmarts.sink.testing.Rows;
import io.cdcmarts.sink.testing.TestKafka;
import io.cdcmarts.sink.testing.TestKafka.Message;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.cdcmarts.sink.testing.ChangeEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No change lost or repeated across a crash before COMMIT, and a replay gives the same tables. */
class ExactlyOnceIT {

    @TempDir
    Path dir;

    private final String prefix = "eo" + UUID.randomUUID().toString().substring(0, 8);
    private final OrderItems workload = new OrderItems(prefix + ".raw.order_items");
    private final List<SinkService> services = new ArrayList<>();
    private long sent;

    @AfterEach
    void stop() {
        services.forEach(SinkService::close);
    }

    private String raw() {
        return prefix + ".raw.order_items";
    }

    private List<Message> changes(long from, long to) {
        return workload.changes(from, to);
    }

    private SinkService start(Path file, String group, SimpleMeterRegistry registry, BatchApplier.BeforeCommit hook) {
        SinkConfig config = SinkConfig.builder(KafkaSettings.of(TestKafka.bootstrap(), prefix))
                .duckdbPath(file).groupId(group).pollTimeout(Duration.ofMillis(200)).topicRefresh(Duration.ofSeconds(1))
                .maxPollRecords(25).build();
        SinkService s = new SinkService(config, registry, Clock.systemUTC(), hook);
        services.add(s);
        s.start();
        return s;
    }

    private void send(List<Message> messages) {
        TestKafka.send(messages);
        sent += messages.size();
    }

    private static Connection openReadOnly(Path file) throws Exception {
        Properties p = new Properties();
        p.setProperty("access_mode", "READ_ONLY");
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p);
    }

    @Test
    void aCrashBeforeCommitLosesAndRepeatsNothingAndTheRestartResumesFromDuckDbsOffsets() throws Exception {
        TestKafka.createTopics(2, raw());
        Path file = dir.resolve("sink.duckdb");

        // Given a sink that committed the first changes
        AtomicBoolean crash = new AtomicBoolean(false);
        SinkService first = start(file, prefix + "-a", new SimpleMeterRegistry(), batch -> {
            if (crash.get()) {
                throw new IllegalStateException("simulated crash between the DuckDB writes and COMMIT");
            }
        });
        send(changes(0, 40));
        long committed = sent;
        SinkServiceIT.awaitCaughtUp(first, prefix, committed);

        // When it crashes before committing the next batch, and stops
        crash.set(true);
        send(changes(40, 80));
        await().atMost(Duration.ofSeconds(60)).until(() -> first.status().failedBatches() >= 1);
        assertThat(first.status().lastError()).contains("simulated crash");
        first.close();

        // Then nothing of the failed batch is in the file
        try (Connection c = openReadOnly(file)) {
            assertThat(OrderItems.in(c)).isEqualTo(OrderItems.expected(40));
            assertThat(((Number) Rows.scalar(c, "SELECT sum(next_offset) FROM _cdc.offsets")).longValue()).isEqualTo(committed);
        }

        // When a new sink (another consumer group: Kafka's offsets play no part) starts on the file
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkService second = start(file, prefix + "-b", registry, BatchApplier.BeforeCommit.NONE);
        SinkServiceIT.awaitCaughtUp(second, prefix, sent);

        // Then it read only what was not committed, and the table is the source's state exactly (the
        // counters move just after the COMMIT the wait above saw, so they are awaited too)
        long expectedConsumed = sent - committed;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((long) Search.in(registry)
                .name("cdc.sink.records.consumed").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(expectedConsumed));
        try (Connection c = second.openReader()) {
            assertThat(OrderItems.in(c)).isEqualTo(OrderItems.expected(80));
        }
    }

    @Test
    void replayingTheSameTopicsIntoAFreshFileGivesTheSameTables() throws Exception {
        // Given changes of every layer, including a malformed message and a dead letter
        String mart = prefix + ".mart.sales_daily";
        TestKafka.createTopics(2, raw(), mart);
        List<Message> messages = new ArrayList<>(changes(0, 60));
        messages.add(Message.of(raw(), "{\"id\":999}".getBytes(StandardCharsets.UTF_8), "{oops".getBytes(StandardCharsets.UTF_8)));
        ChangeEvents daily = ChangeEvents.table("sales_daily").key("day").date("day").int64("orders").decimal("revenue", 18, 2);
        for (int day = 0; day < 10; day++) {
            var r = row("day", 19_800 + day, "orders", day, "revenue", new BigDecimal(day + ".5"));
            messages.add(Message.of(mart, daily.key(r), daily.typedRow(r)));
            if (day % 3 == 0) {
                messages.add(Message.of(mart, daily.key(r), null));
            }
        }
        send(messages);

        // When two sinks each read everything into a fresh file
        Path one = dir.resolve("one.duckdb");
        Path two = dir.resolve("two.duckdb");
        for (Path file : List.of(one, two)) {
            SinkService sink = start(file, prefix + "-" + file.getFileName(), new SimpleMeterRegistry(), BatchApplier.BeforeCommit.NONE);
            SinkServiceIT.awaitCaughtUp(sink, prefix, sent);
            sink.close();
        }

        // Then both files hold the same rows (only the times of ingestion differ)
        Map<String, List<Map<String, Object>>> first = snapshot(one);
        assertThat(first.get("raw.order_items")).hasSize(OrderItems.expected(60).size());
        assertThat(first.get("mart.sales_daily")).hasSize(6);
        assertThat(first.get("quality.dead_letters")).hasSize(1);
        assertThat(snapshot(two)).isEqualTo(first);

        // When the first file is replayed again from offset 0 over its own rows
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + one.toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("DELETE FROM _cdc.offsets");
        }
        SinkService again = start(one, prefix + "-again", new SimpleMeterRegistry(), BatchApplier.BeforeCommit.NONE);
        SinkServiceIT.awaitCaughtUp(again, prefix, sent);
        again.close();

        // Then nothing changed
        assertThat(snapshot(one)).isEqualTo(first);
    }

    /** Every table's rows in key order, without the columns that record when the sink ran. */
    private static Map<String, List<Map<String, Object>>> snapshot(Path file) throws Exception {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        try (Connection c = openReadOnly(file)) {
            for (Map<String, Object> t : Rows.query(c, "SELECT schema_name, table_name FROM duckdb_tables() "
                    + "WHERE schema_name IN ('raw', 'stg', 'mart', 'quality') ORDER BY 1, 2")) {
                String table = t.get("schema_name") + "." + t.get("table_name");
                List<Map<String, Object>> rows = Rows.query(c, "SELECT * FROM " + table + " ORDER BY ALL");
                rows.forEach(r -> {
                    r.remove("_ingested_at");
                    r.remove("detected_at");
                    r.replaceAll((k, v) -> v instanceof byte[] b ? List.of(b) : v);
                });
                out.put(table, rows);
            }
        }
        return out;
    }
}
