package io.cdcmarts.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.app.status.StatusCollector;
import io.cdcmarts.app.status.StatusReport;
import io.cdcmarts.app.status.StatusTargets;
import io.cdcmarts.app.status.StatusText;
import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.http.SinkHttp;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cdc-marts status} against a running pipeline on real PostgreSQL, Kafka and DuckDB: the
 * numbers it reports are the ones the servers hold, and they move when the source changes.
 */
class StatusIT {

    private static final String PREFIX = "statusit";

    @TempDir
    static Path dir;

    static PipelineFixture pipeline;
    static ServiceHttpServer sinkServer;
    static SinkHttp sinkHttp;

    @BeforeAll
    static void startPipelineAndTheSinksHttpServer() throws Exception {
        pipeline = PipelineFixture.start("status_it", PREFIX, dir);
        sinkServer = new ServiceHttpServer(new HttpBinding(HttpBinding.LOCALHOST, 0), "sink",
                () -> SinkHttp.health(pipeline.sink().status()), () -> "");
        sinkHttp = new SinkHttp(sinkServer, pipeline.sink(), SinkHttp.Options.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sinkHttp != null) {
            sinkHttp.close();
        }
        if (sinkServer != null) {
            sinkServer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void reportsWhatTheServersHoldAndMovesWithTheSource() throws Exception {
        PgDsn dsn = pipeline.dsn();
        StatusCollector status = new StatusCollector(targets(dsn), Clock.systemUTC());

        // Given the seed data has arrived everywhere
        AtomicReference<StatusReport> settled = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusReport r = status.collect();
            assertThat(r.layers().error()).isNull();
            assertThat(r.layers().rowsByTable().getOrDefault("raw", java.util.Map.of()).get("orders"))
                    .isEqualTo(count(dsn, "orders"));
            assertThat(r.consumers()).allSatisfy(g -> assertThat(g.error()).isNull());
            assertThat(r.consumers()).allSatisfy(g -> assertThat(g.total()).as(g.group()).isZero());
            settled.set(r);
        });
        StatusReport before = settled.get();

        // Then the slot is capture's, active, with a measured lag
        assertThat(before.slot().found()).isTrue();
        assertThat(before.slot().active()).isTrue();
        assertThat(before.slot().lagBytes()).isNotNull().isNotNegative();
        // ... the DuckDB facts come through the running sink and equal what DuckDB holds
        assertThat(before.layers().source()).contains("http://127.0.0.1:" + sinkServer.port());
        try (Connection duck = pipeline.sink().openReader()) {
            assertThat(before.layers().openFailures()).isEqualTo(count(duck, "quality.open_failures")).isPositive();
            assertThat(before.layers().rowsByTable().get("stg").get("customers")).isEqualTo(count(duck, "stg.customers"));
        }
        assertThat(before.layers().rows("mart")).isPositive();
        assertThat(before.layers().freshness()).isNotNull();
        // ... the sink answers UP; capture and processor serve no HTTP here, and say where they were looked for
        assertThat(before.services()).filteredOn(s -> s.service().equals("sink")).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("UP"));
        assertThat(before.services()).filteredOn(s -> s.service().equals("capture")).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("UNREACHABLE"))
                .satisfies(s -> assertThat(s.lastError()).contains("connection refused"));

        // When the source changes
        sql(dsn, "INSERT INTO orders (customer_id, order_date, status) "
                + "SELECT customer_id, now(), 'paid' FROM orders ORDER BY id LIMIT 7");

        // Then the numbers move: seven more raw orders, a newer source commit
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusReport after = status.collect();
            assertThat(after.layers().rowsByTable().get("raw").get("orders"))
                    .isEqualTo(before.layers().rowsByTable().get("raw").get("orders") + 7);
            assertThat(after.layers().newestSourceTs()).isAfter(before.layers().newestSourceTs());
        });

        // And the report renders for people and for machines
        StatusReport last = status.collect();
        assertThat(StatusText.render(last)).contains("cdc_marts_" + PREFIX + ": active").contains("sink      UP");
        JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(last));
        assertThat(json.path("slot").path("slot").asText()).isEqualTo("cdc_marts_" + PREFIX);
        assertThat(json.path("layers").path("rowsByTable").path("raw").path("orders").asLong())
                .isEqualTo(count(dsn, "orders"));
        assertThat(json.path("consumers")).hasSize(2);
    }

    private static StatusTargets targets(PgDsn dsn) {
        KafkaSettings kafka = KafkaSettings.of(SharedInfra.get().kafkaBootstrap(), PREFIX);
        return new StatusTargets(kafka, dsn, CaptureConfig.defaultName(PREFIX),
                SinkConfig.DEFAULT_GROUP_ID_PREFIX + PREFIX, ProcessorConfig.defaultApplicationId(kafka.topics()),
                "http://127.0.0.1:" + freePort(), "http://127.0.0.1:" + freePort(),
                "http://127.0.0.1:" + sinkServer.port(), dir.resolve("not-read.duckdb"), Duration.ofSeconds(5));
    }

    private static long count(PgDsn dsn, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties())) {
            return count(c, table);
        }
    }

    private static long count(Connection c, String table) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(PgDsn dsn, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
