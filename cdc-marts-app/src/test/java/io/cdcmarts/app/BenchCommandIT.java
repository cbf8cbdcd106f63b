package io.cdcmarts.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.app.bench.BenchCommand;
import io.cdcmarts.app.bench.Pgbench;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cdc-marts bench} against {@code cdc-marts local} running in-process (its PostgreSQL a
 * database of the shared test server): every marker written is seen through the sink in raw and
 * in the marts and on the raw, stg and mart topics, the figures are consistent, and the markers
 * are gone from the source afterwards.
 */
class BenchCommandIT {

    @TempDir
    Path dir;

    @Test
    void everyMarkerIsSeenInRawAndMartsAndTheReportAddsUp() throws Exception {
        // Given local running (seed data, its own generator at 20 events/s)
        PgDsn dsn = SharedInfra.get().newDatabase("bench_it");
        int httpPort = freePort();
        int kafkaPort = freePort();
        try (AutoCloseable running = startLocal(dsn, kafkaPort, httpPort, "benchit")) {
            // When bench runs beside it, also timing the markers on the topics
            StringWriter err = new StringWriter();
            StringWriter out = new StringWriter();
            int exit = bench(out, err, "--pg-url", dsn.toUrlWithPassword(), "--url", "http://127.0.0.1:" + httpPort,
                    "--rate", "50", "--duration", "8s", "--markers-per-second", "4", "--settle", "120s", "--json",
                    "--kafka-bootstrap", "localhost:" + kafkaPort, "--topic-prefix", "benchit");

            // Then every marker reached raw and the marts, and the figures are consistent
            assertThat(exit).as("exit code; stderr: %s", err).isZero();
            JsonNode report = Json.MAPPER.readTree(out.toString());
            int markers = report.get("markers").asInt();
            assertThat(markers).isBetween(28, 33);
            for (String layer : new String[]{"commitToRaw", "commitToMart"}) {
                JsonNode f = report.get(layer);
                assertThat(f.get("seen").asInt()).as(layer).isEqualTo(markers);
                assertThat(f.get("p50").asDouble()).as(layer).isPositive().isLessThanOrEqualTo(f.get("p99").asDouble());
                assertThat(f.get("p99").asDouble()).as(layer).isLessThanOrEqualTo(f.get("max").asDouble());
            }
            // And on each topic: capture's raw, the processor's staging and its mart
            for (String stage : new String[]{"raw_topic", "stg_topic", "mart_topic"}) {
                JsonNode f = report.get("stages").get(stage);
                assertThat(f.get("seen").asInt()).as(stage).isEqualTo(markers);
                assertThat(f.get("p50").asDouble()).as(stage).isPositive().isLessThanOrEqualTo(f.get("p99").asDouble());
                assertThat(f.get("p99").asDouble()).as(stage).isLessThanOrEqualTo(f.get("max").asDouble());
            }
            assertThat(report.get("eventsPerSecond").asDouble()).isPositive();
            assertThat(report.get("rowChangesPerSecond").asDouble()).isPositive();
            assertThat(report.get("lagBounded").isBoolean()).isTrue();

            // And the markers were deleted from the source
            assertThat(markersInSource(dsn)).isZero();
        }
    }

    @Test
    void pgbenchDrivesTheSourceAndEveryMarkerArrives() throws Exception {
        String pgbench = Pgbench.requireOrSkip();
        // Given local running
        PgDsn dsn = SharedInfra.get().newDatabase("bench_pgbench_it");
        int httpPort = freePort();
        try (AutoCloseable running = startLocal(dsn, freePort(), httpPort, "benchpg")) {
            // When bench runs pgbench's shop scripts at 200 transactions/s beside its markers
            StringWriter err = new StringWriter();
            StringWriter out = new StringWriter();
            int exit = bench(out, err, "--pg-url", dsn.toUrlWithPassword(), "--url", "http://127.0.0.1:" + httpPort,
                    "--workload", "pgbench", "--pgbench", pgbench, "--rate", "200", "--clients", "2", "--duration", "8s",
                    "--markers-per-second", "4", "--settle", "120s", "--json");

            // Then pgbench held the rate, its changes counted in the source, and every marker arrived
            assertThat(exit).as("exit code; stderr: %s", err).isZero();
            JsonNode report = Json.MAPPER.readTree(out.toString());
            assertThat(report.get("workload").asText()).isEqualTo("pgbench");
            assertThat(report.get("eventsPerSecond").asDouble()).isBetween(150.0, 210.0);
            assertThat(report.get("failedEvents").asLong()).isZero();
            assertThat(report.get("rowChangesPerSecond").asDouble()).isGreaterThan(200.0);
            int markers = report.get("markers").asInt();
            assertThat(report.get("commitToRaw").get("seen").asInt()).isEqualTo(markers);
            assertThat(report.get("commitToMart").get("seen").asInt()).isEqualTo(markers);
            assertThat(markersInSource(dsn)).isZero();
        }
    }

    private AutoCloseable startLocal(PgDsn dsn, int kafkaPort, int httpPort, String prefix) throws Exception {
        LocalCommand local = new LocalCommand();
        new CommandLine(local).parseArgs("--data-dir", dir.resolve("data").toString(), "--duckdb", dir.resolve("bench.duckdb").toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--pg-url", dsn.toUrlWithPassword(), "--topic-prefix", prefix,
                "--orders", "200", "--drain-timeout", "120", "--http-port", Integer.toString(httpPort));
        return local.start();
    }

    private static int bench(StringWriter out, StringWriter err, String... args) {
        CommandLine bench = new CommandLine(new BenchCommand());
        bench.setOut(new PrintWriter(out));
        bench.setErr(new PrintWriter(err));
        return bench.execute(args);
    }

    private static long markersInSource(PgDsn dsn) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM orders WHERE order_date < '1900-01-01'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
