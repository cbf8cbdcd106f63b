package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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

    /**
     * Capture of a table the processor has no rules for, and no generator: the processor has
     * nothing to do, so the stop's drain must not wait for it (it never consumes raw.widgets) but
     * finish as soon as the sink has the rows. A drain that gave up would fail the close.
     */
    @Test
    void aStopWithNothingForTheProcessorDrainsWithoutWaitingForIt() throws Exception {
        // Given local capturing only a table that is not the shop's
        PgDsn dsn = SharedInfra.get().newDatabase("local_idle_it");
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("INSERT INTO widgets SELECT g, 'w' || g FROM generate_series(1, 50) g");
        }
        Path duckdb = dir.resolve("idle.duckdb");
        int kafkaPort = freePort();
        LocalCommand local = new LocalCommand();
        new CommandLine(local).parseArgs("--data-dir", dir.resolve("idle-data").toString(), "--duckdb", duckdb.toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--pg-url", dsn.toUrlWithPassword(),
                "--topic-prefix", "localidle", "--no-generator", "--drain-timeout", "120", "--http-port", "-1");
        AutoCloseable running = local.start();
        try {
            // When the snapshot has reached Kafka ...
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> endOffset("localhost:" + kafkaPort, "localidle.raw.widgets") >= 50);
        } finally {
            // ... and local is stopped: the drain completes (it does not wait for the processor's idle raw topics)
            assertThatCode(running::close).doesNotThrowAnyException();
        }

        // Then the file holds every widget
        try (Connection file = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath() + ";access_mode=READ_ONLY");
             Statement st = file.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM raw.widgets")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(50);
        }
    }

    private static long endOffset(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all().get()
                    .values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
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
