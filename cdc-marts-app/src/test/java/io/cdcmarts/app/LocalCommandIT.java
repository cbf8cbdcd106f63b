package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cdc-marts local} stopped while its generator keeps changes in flight leaves a DuckDB
 * file that is consistent with the source: stopping drains capture, processor and sink before
 * the sink closes the file. {@code local} runs in-process on its own Kafka port and data
 * directory; its PostgreSQL is a database on the shared test server ({@code --pg-url}), so the
 * source is still there to compare with after {@code local} has stopped.
 */
class LocalCommandIT {

    @TempDir
    Path dir;

    @Test
    void stoppingUnderLoadLeavesAFileThatEqualsTheSource() throws Exception {
        // Given local running with a busy generator
        PgDsn dsn = SharedInfra.get().newDatabase("local_it");
        Path duckdb = dir.resolve("local.duckdb");
        LocalCommand local = new LocalCommand();
        new CommandLine(local).parseArgs("--data-dir", dir.resolve("data").toString(), "--duckdb", duckdb.toString(),
                "--kafka-port", Integer.toString(freePort()), "--pg-url", dsn.toUrlWithPassword(),
                "--topic-prefix", "localit", "--orders", "300", "--rate", "200", "--chaos-percent", "10",
                // generous: the drain is what is under test, and a shared 2-core machine can be slow
                "--drain-timeout", "300", "--http-port", "0");
        AutoCloseable running = local.start();
        try {
            // When the generator has written well past the seed data (changes keep arriving) ...
            long seedOrders = count(dsn, "orders");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(count(dsn, "orders")).isGreaterThan(seedOrders + 100));
        } finally {
            // ... and local is stopped as SIGTERM stops it (its shutdown hook closes this)
            running.close();
        }

        // Then the file it left equals the source, and its marts their batch recomputation and the oracle
        try (Connection file = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath() + ";access_mode=READ_ONLY")) {
            PipelineChecks.rawEqualsSource(file, dsn);
            PipelineChecks.martsVerify(file);
            PipelineChecks.martsEqualPostgresOracle(file, dsn);
        }
    }

    private static long count(PgDsn dsn, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
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
