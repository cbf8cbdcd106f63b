package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.sink.testing.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sink's HTTP server against a real Kafka broker and a real DuckDB file: API, health, metrics, and {@code cdc-marts query}. */
class SinkHttpIT {

    @TempDir
    Path dir;

    private final String prefix = "http" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void statusQueryHealthAndMetricsDescribeTheRunningSink() throws Exception {
        // Given a sink that consumed a small shop
        ShopTopics shop = new ShopTopics(prefix);
        shop.sendShop();
        try (RunningSink s = new RunningSink(prefix, dir.resolve("shop.duckdb"))) {
            s.awaitCaughtUp(shop);

            // When /api/status is read, Then it tells what DuckDB holds and how far the sink is
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(s.json(s.get("/api/status")).get("consumerLag")).hasSize(10));
            JsonNode status = s.json(s.get("/api/status"));
            long martRows;
            try (Connection c = s.sink.openReader()) {
                martRows = Rows.count(c, "mart.kpis") + Rows.count(c, "mart.sales_daily") + Rows.count(c, "mart.revenue_by_category")
                        + Rows.count(c, "mart.revenue_by_product_variant") + Rows.count(c, "mart.customers_by_country");
            }
            assertThat(status.get("running").asBoolean()).isTrue();
            assertThat(status.get("rowCounts").get("raw").asLong()).isEqualTo(3);
            assertThat(status.get("rowCounts").get("stg").asLong()).isEqualTo(3);
            assertThat(status.get("rowCounts").get("mart").asLong()).isEqualTo(martRows).isEqualTo(9);
            assertThat(status.get("rowCounts").get("quality").asLong()).isEqualTo(3); // 2 dead letters + 1 open failure
            assertThat(status.get("rowsApplied").get("raw").asLong()).isEqualTo(3);
            assertThat(status.get("openFailures").asLong()).isEqualTo(1);
            assertThat(status.get("deadLetters").asLong()).isEqualTo(2);
            assertThat(status.get("batches").asLong()).isPositive();
            assertThat(status.get("newestSourceTs").asText()).isNotBlank();
            assertThat(status.get("freshnessSeconds").asDouble()).isPositive();
            assertThat(status.get("totalLag").asLong()).isZero();
            assertThat(status.get("lastError").isNull()).isTrue();

            // When a query is posted as JSON and as plain text, Then columns, types and exact values come back
            JsonNode kpis = s.json(s.post("/api/query", "application/json",
                    "{\"sql\": \"SELECT orders, revenue FROM mart.kpis\"}"));
            assertThat(kpis.get("columns").get(1).get("type").asText()).isEqualTo("DECIMAL(18,2)");
            assertThat(kpis.get("rows").get(0).get(0).asLong()).isEqualTo(2);
            assertThat(kpis.get("rows").get(0).get(1).decimalValue()).isEqualByComparingTo("1234.50");
            assertThat(kpis.get("truncated").asBoolean()).isFalse();
            JsonNode days = s.json(s.post("/api/query", "text/plain", "SELECT day FROM mart.sales_daily ORDER BY day"));
            assertThat(days.get("rows").toString()).isEqualTo("[[\"2024-03-11\"],[\"2024-03-12\"]]");

            // When a write is posted, Then it is refused with a reason and nothing changes
            HttpResponse<String> refused = s.post("/api/query", "text/plain", "DELETE FROM mart.kpis");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(s.json(refused).get("error").asText()).startsWith("only read-only queries are allowed");
            assertThat(s.get("/api/query").statusCode()).isEqualTo(405);
            assertThat(s.json(s.post("/api/query", "text/plain", "SELECT count(*) FROM mart.kpis")).get("rows").get(0).get(0).asLong())
                    .isEqualTo(1);

            // Then /health is UP and /metrics has the sink's meters
            HttpResponse<String> health = s.get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(s.json(health).get("status").asText()).isEqualTo("UP");
            assertThat(s.json(health).get("service").asText()).isEqualTo("sink");
            String metrics = s.get("/metrics").body();
            assertThat(metrics)
                    .contains("cdc_sink_rows_applied_total{layer=\"raw\"} 3.0")
                    .contains("cdc_sink_rows_applied_total{layer=\"mart\"} 9.0")
                    .contains("cdc_sink_batch_records_count")
                    .contains("cdc_sink_batch_duration_seconds_count")
                    .contains("cdc_sink_freshness_seconds")
                    .contains("cdc_sink_consumer_lag{partition=\"0\",topic=\"" + prefix + ".mart.kpis\"} 0.0");
        }
    }

    @Test
    void queryCommandAsksTheSinkThenReadsTheFileThenSaysWhichNeitherWorked() throws Exception {
        // Given a running sink
        ShopTopics shop = new ShopTopics(prefix);
        shop.sendShop();
        Path file = dir.resolve("shop.duckdb");
        String sql = "SELECT category, revenue FROM mart.revenue_by_category ORDER BY category";
        String expected = "category,revenue\nhoodies,1000.00\nshoes,234.50\n";
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        try (RunningSink s = new RunningSink(prefix, file)) {
            s.awaitCaughtUp(shop);

            // When cdc-marts query runs against it, Then it answers through the sink (the file is held)
            Run viaSink = query("--url", "http://127.0.0.1:" + s.server.port(), "--duckdb", file.toString(), "--format", "csv", sql);
            assertThat(viaSink.exit).isZero();
            assertThat(viaSink.out).isEqualTo(expected);

            Run refused = query("--url", "http://127.0.0.1:" + s.server.port(), "DROP TABLE mart.kpis");
            assertThat(refused.exit).isNotZero();
            assertThat(refused.err).contains("only read-only queries are allowed");
        }

        // When no sink runs, Then it reads the file read-only
        Run viaFile = query("--url", "http://127.0.0.1:" + freePort, "--duckdb", file.toString(), "--format", "csv", sql);
        assertThat(viaFile.exit).isZero();
        assertThat(viaFile.out).isEqualTo(expected);
        Run table = query("--url", "http://127.0.0.1:" + freePort, "--duckdb", file.toString(), sql);
        assertThat(table.out).contains("category | revenue").contains("hoodies  | 1000.00").contains("(2 rows)");

        // When neither works, Then the message names the URL and the file
        Path missing = dir.resolve("missing.duckdb");
        Run neither = query("--url", "http://127.0.0.1:" + freePort, "--duckdb", missing.toString(), sql);
        assertThat(neither.exit).isNotZero();
        assertThat(neither.err).contains("http://127.0.0.1:" + freePort).contains(missing.toString());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run query(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new QueryCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
