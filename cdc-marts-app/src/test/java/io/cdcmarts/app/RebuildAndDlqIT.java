package io.cdcmarts.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyCommand;
import io.cdcmarts.sink.verify.VerifyReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cdc-marts rebuild} and {@code cdc-marts dlq} against a real pipeline (PostgreSQL 18 →
 * Debezium → Kafka → Streams → DuckDB) fed with generator data with chaos, updates and deletes: the
 * rebuilt file equals the live one table by table, and the dead-letter counts read from the topics
 * equal what the live sink wrote to {@code quality.dead_letters}.
 */
class RebuildAndDlqIT {

    private static final String PREFIX = "opsit";

    @TempDir
    static Path dir;

    static PipelineFixture pipeline;
    static String bootstrap;
    static SinkService sink;

    @BeforeAll
    static void startPipelineAndLetItSettle() throws Exception {
        pipeline = PipelineFixture.start("rebuild_dlq_it", PREFIX, dir, data -> data.customers(30).products(12).orders(100).chaosPercent(10));
        bootstrap = pipeline.kafka().bootstrap();
        sink = pipeline.sink();
        // Updates and deletes of every layer: rows leave and enter staging, dead letters come and go, mart rows vanish.
        pipeline.sql("""
                UPDATE product_variants SET manufacturing_price = manufacturing_price + 1.11 WHERE id % 3 = 0;
                UPDATE orders SET status = 'paid' WHERE status = 'pending' AND id % 2 = 0;
                UPDATE orders SET status = 'cancelled' WHERE status = 'shipped' AND id % 7 = 0;
                UPDATE customers SET email = 'not-an-email-' || id WHERE id % 6 = 0;
                UPDATE customers SET email = 'c' || id || '.fixed@example.com' WHERE id % 12 = 0;
                DELETE FROM order_items WHERE id % 13 = 0;
                DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE id % 17 = 0);
                DELETE FROM orders WHERE id % 17 = 0;
                """);
        awaitSettled();
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aRebuiltFileEqualsTheLiveOneTableByTableAndNeverTouchesIt() throws Exception {
        // Given the live file, held by the running sink
        Path live = pipeline.duckdb();
        Path rebuilt = dir.resolve("rebuilt").resolve("shop.duckdb");

        // When rebuild is pointed at the live file, it refuses; pointed at a new path, it catches up
        CliRun refused = cli("rebuild", "--kafka-bootstrap", bootstrap, "--topic-prefix", PREFIX, "--duckdb", live.toString());
        CliRun done = cli("rebuild", "--kafka-bootstrap", bootstrap, "--topic-prefix", PREFIX, "--duckdb", rebuilt.toString(),
                "--max-poll-records", "300", "--progress-every", "1ms");

        // Then
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("already exists", "never overwrites");
        assertThat(sink.status().running()).isTrue();
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).contains("Rebuilding " + rebuilt, "rebuild ", "raw ", "stg ", "mart ", "dlq ",
                "Caught up: every partition reached its end offset", "To swap it in");
        try (Connection liveDb = sink.openReader(); Connection copy = VerifyCommand.openReadOnly(rebuilt)) {
            List<String> tables = tables(liveDb);
            assertThat(tables).contains("raw.customers", "stg.orders", "mart.kpis", "quality.dead_letters",
                    "quality.open_failures", "_cdc.offsets");
            assertThat(tables(copy)).isEqualTo(tables);
            for (String table : tables) {
                assertThat(comparable(copy, table)).as("rebuilt %s equals the live one", table).isEqualTo(comparable(liveDb, table));
            }
            VerifyReport report = new MartVerifier().verify(copy);
            assertThat(report.allEqual()).as(report.render(5)).isTrue();
        }
    }

    @Test
    void deadLetterCountsFromTheTopicsEqualWhatTheSinkWroteAndFiltersNarrowThem() throws Exception {
        // Given the dead letters the processor wrote for the chaos rows, as the live sink stored them
        Map<String, Map<String, Long>> stored = new TreeMap<>();
        long storedTotal;
        try (Connection c = sink.openReader()) {
            for (Map<String, String> r : TableSnapshot.rows(c, "SELECT \"table\" AS t, c, count(*) AS n FROM (SELECT \"table\", "
                    + "unnest(checks) AS c FROM quality.dead_letters WHERE reported_by = 'processor') GROUP BY ALL")) {
                stored.computeIfAbsent(r.get("t"), t -> new TreeMap<>()).put(r.get("c"), Long.parseLong(r.get("n")));
            }
            storedTotal = Long.parseLong(TableSnapshot.rows(c,
                    "SELECT count(*) AS n FROM quality.dead_letters WHERE reported_by = 'processor'").get(0).get("n"));
        }
        assertThat(storedTotal).as("chaos made dead letters").isPositive();
        String someTable = stored.keySet().iterator().next();
        String someCheck = stored.get(someTable).keySet().iterator().next();

        // When dlq reads the topics
        CliRun all = cli("dlq", "--kafka-bootstrap", bootstrap, "--topic-prefix", PREFIX, "--json", "--limit", "3");
        CliRun filtered = cli("dlq", "--kafka-bootstrap", bootstrap, "--topic-prefix", PREFIX, "--json", "--limit", "0",
                "--table", someTable, "--check", someCheck);
        CliRun text = cli("dlq", "--kafka-bootstrap", bootstrap, "--topic-prefix", PREFIX, "--limit", "2");

        // Then the counts by table and check are the sink's, and the filters narrow them to one cell
        assertThat(all.code()).as(all.err()).isZero();
        JsonNode counts = Json.MAPPER.readTree(all.out().lines().findFirst().orElseThrow());
        assertThat(counts.path("total").asLong()).isEqualTo(storedTotal);
        Map<String, Map<String, Long>> read = new TreeMap<>();
        counts.path("tables").fields().forEachRemaining(t -> t.getValue().path("checks").fields()
                .forEachRemaining(c -> read.computeIfAbsent(t.getKey(), k -> new TreeMap<>()).put(c.getKey(), c.getValue().asLong())));
        assertThat(read).isEqualTo(stored);
        assertThat(all.out().lines().skip(1)).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"type\":\"dead_letter\""));
        JsonNode narrowed = Json.MAPPER.readTree(filtered.out().lines().findFirst().orElseThrow());
        assertThat(narrowed.path("total").asLong()).isEqualTo(stored.get(someTable).get(someCheck));
        assertThat(text.out()).contains("records", "Latest 2, oldest first:", "source " + PREFIX + ".raw.");
    }

    @Test
    void anUnreachableBrokerIsAClearErrorAndNoFileIsLeft() {
        Path file = dir.resolve("never.duckdb");

        CliRun rebuild = cli("rebuild", "--kafka-bootstrap", "localhost:1", "--kafka-timeout", "2s", "--duckdb", file.toString());
        CliRun dlq = cli("dlq", "--kafka-bootstrap", "localhost:1", "--kafka-timeout", "2s");

        assertThat(rebuild.code()).isEqualTo(1);
        assertThat(rebuild.err()).contains("cannot reach Kafka at localhost:1 within 2s");
        assertThat(file).doesNotExist();
        assertThat(dlq.code()).isEqualTo(1);
        assertThat(dlq.err()).contains("cannot reach Kafka at localhost:1 within 2s");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    /** Every table and view of the sink's schemas, qualified and sorted. */
    private static List<String> tables(Connection c) throws Exception {
        return TableSnapshot.rows(c, "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables "
                        + "WHERE table_schema IN ('raw', 'stg', 'mart', 'quality', '_cdc') ORDER BY 1")
                .stream().map(r -> r.get("t")).toList();
    }

    /**
     * A table's rows as sorted text, every column by name (a column added at the source may sit at
     * another position), without what differs by nature: {@code _ingested_at}, the offsets'
     * {@code updated_at}, and the time the sink itself found a malformed message.
     */
    private static List<String> comparable(Connection c, String table) throws Exception {
        String[] parts = table.split("\\.");
        List<String> columns = new ArrayList<>();
        for (String column : TableSnapshot.duckdbColumns(c, parts[0], parts[1])) {
            if (column.equals("_ingested_at") || (table.equals("_cdc.offsets") && column.equals("updated_at"))) {
                continue;
            }
            String value = "CAST(\"" + column + "\" AS VARCHAR)";
            if (table.equals("quality.dead_letters") && column.equals("detected_at")) {
                value = "CASE WHEN reported_by = 'sink' THEN NULL ELSE " + value + " END";
            }
            columns.add(value + " AS \"" + column + "\"");
        }
        List<String> rows = new ArrayList<>();
        for (Map<String, String> row : TableSnapshot.rows(c, "SELECT " + String.join(", ", columns) + " FROM "
                + "\"" + parts[0] + "\".\"" + parts[1] + "\"")) {
            rows.add(new TreeMap<>(row).toString());
        }
        rows.sort(Comparator.naturalOrder());
        return rows;
    }

    /**
     * Settled: every raw table equals its source, the processor has read every raw message, every
     * mart equals its batch recomputation and has rows, there are dead letters, and the sink's
     * stored offsets did not move over two further looks.
     */
    private static void awaitSettled() {
        AtomicReference<String> lastOffsets = new AtomicReference<>("");
        AtomicInteger stillLooks = new AtomicInteger();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                PipelineChecks.rawEqualsSource(duck, pipeline.dsn());
                pipeline.assertProcessorReadAllRaw();
                PipelineChecks.martsVerify(duck);
                assertThat(TableSnapshot.rows(duck, "SELECT count(*) AS n FROM quality.dead_letters").get(0).get("n"))
                        .as("dead letters of the chaos rows").isNotEqualTo("0");
                String offsets = TableSnapshot.rows(duck, "SELECT topic, \"partition\", next_offset FROM _cdc.offsets ORDER BY 1, 2").toString();
                if (!offsets.equals(lastOffsets.getAndSet(offsets))) {
                    stillLooks.set(0);
                }
                assertThat(stillLooks.incrementAndGet()).as("looks with the sink's offsets unchanged").isGreaterThan(2);
            }
        });
    }
}
