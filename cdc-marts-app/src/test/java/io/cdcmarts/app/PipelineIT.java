package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.generator.BulkGenerator;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.generator.Schema;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.http.SinkHttp;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyReport;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole chain on real parts: PostgreSQL 18 → Debezium → Kafka → Kafka Streams → DuckDB.
 * Seed data with chaos, then updates and deletes of every kind, a column added at the source and
 * a generated column; every raw table must equal its source table column by column, and every
 * streamed mart must equal its batch recomputation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final List<String> TABLES = List.of("customers", "products", "product_variants", "orders", "order_items");

    @TempDir
    static Path dir;

    static PgDsn dsn;
    static CaptureService capture;
    static ProcessorService processor;
    static SinkService sink;
    static PrometheusMeterRegistry registry;

    @BeforeAll
    static void startPipeline() throws Exception {
        Infra infra = SharedInfra.get();
        dsn = infra.newDatabase("pipeline_it");
        Schema.create(dsn);
        new BulkGenerator(GeneratorConfig.builder(dsn).customers(40).products(15).orders(150).chaosPercent(10)
                .window(Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-03-05T23:59:59Z")).build()).run();
        KafkaSettings kafka = KafkaSettings.of(infra.kafkaBootstrap(), "pipeit");
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        capture = new CaptureService(CaptureConfig.builder(dsn, kafka).heartbeatInterval(Duration.ofSeconds(1)).build(), registry);
        capture.start();
        processor = new ProcessorService(ProcessorConfig.builder(kafka).stateDir(dir.resolve("state")).build(), registry);
        processor.start();
        sink = new SinkService(SinkConfig.builder(kafka).duckdbPath(dir.resolve("shop.duckdb")).build(), registry);
        sink.start();
    }

    @AfterAll
    static void stopPipeline() {
        for (AutoCloseable c : new AutoCloseable[]{sink, processor, capture}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(1)
    void snapshotArrivesAsAnExactCopy() {
        awaitRawEqualsSource();
    }

    @Test
    @Order(2)
    void updatesDeletesAndANewColumnKeepTheCopyExactAndTheMartsTrue() throws Exception {
        sql("""
                UPDATE product_variants SET manufacturing_price = manufacturing_price + 1.11 WHERE id % 3 = 0;
                UPDATE order_items SET unit_price = 99.99, quantity = quantity + 1 WHERE id % 5 = 0;
                UPDATE orders SET status = 'paid' WHERE status = 'pending' AND id % 2 = 0;
                UPDATE orders SET status = 'cancelled' WHERE status = 'shipped' AND id % 7 = 0;
                UPDATE orders SET order_date = order_date + interval '1 day 3 hours' WHERE id % 4 = 0;
                UPDATE orders SET customer_id = (SELECT min(id) FROM customers) WHERE id % 9 = 0;
                UPDATE order_items SET variant_id = (SELECT min(id) FROM product_variants) WHERE id % 11 = 0;
                UPDATE products SET category = 'jackets' WHERE id % 4 = 1 AND category <> 'shoes';
                UPDATE products SET name = '  ' || upper(name) || '  ' WHERE id % 5 = 2;
                UPDATE customers SET email = 'not-an-email-' || id WHERE id % 6 = 0;
                UPDATE customers SET email = 'c' || id || '.fixed@example.com' WHERE id % 12 = 0;
                DELETE FROM order_items WHERE id % 13 = 0;
                DELETE FROM orders WHERE id % 17 = 0;
                ALTER TABLE customers ADD COLUMN loyalty_tier TEXT;
                UPDATE customers SET loyalty_tier = 'gold' WHERE id % 3 = 1;
                INSERT INTO order_items (order_id, variant_id, quantity, unit_price)
                    SELECT o.id, (SELECT max(id) FROM product_variants), 2, 12.345 FROM orders o WHERE o.id % 10 = 1;
                """);

        awaitRawEqualsSource();
        awaitMartsVerify();
    }

    @Test
    @Order(3)
    void everyServiceMetricIsScrapedFromMetrics() throws Exception {
        // Given the pipeline after the changes above, served as the services serve their meters
        try (ServiceHttpServer server = new ServiceHttpServer(new HttpBinding(HttpBinding.LOCALHOST, 0), "sink",
                () -> SinkHttp.health(sink.status()), registry::scrape)) {
            // When /metrics is scraped
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            // Then each documented meter is there, with the counts the pipeline implies
            String metrics = response.body();
            assertThat(response.statusCode()).isEqualTo(200);
            long orders;
            try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
                 ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM orders")) {
                rs.next();
                orders = rs.getLong(1);
            }
            assertThat(sample(metrics, "cdc_capture_events_total{table=\"orders\",topic=\"pipeit.raw.orders\"}"))
                    .isGreaterThanOrEqualTo(orders);
            assertThat(sample(metrics, "cdc_processor_check_failures_total{check=\"pattern\",table=\"customers\"}")).isPositive();
            assertThat(sample(metrics, "cdc_processor_dead_letters_total{table=\"customers\"}")).isPositive();
            for (String layer : List.of("raw", "stg", "mart", "quality")) {
                assertThat(sample(metrics, "cdc_sink_rows_applied_total{layer=\"" + layer + "\"}")).as(layer).isPositive();
            }
            assertThat(sample(metrics, "cdc_sink_batch_records_count")).isPositive();
            assertThat(sample(metrics, "cdc_sink_batch_duration_seconds_count")).isPositive();
            assertThat(sample(metrics, "cdc_sink_freshness_seconds")).isNotNegative();
            assertThat(sample(metrics, "cdc_sink_consumer_lag{partition=\"0\",topic=\"pipeit.raw.orders\"}")).isNotNegative();
        }
    }

    /** The value of one sample of the Prometheus text, failing when it is missing. */
    private static double sample(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in /metrics");
    }

    private static void awaitRawEqualsSource() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                for (String table : TABLES) {
                    List<String> columns = TableSnapshot.pgColumns(dsn, table);
                    // A column added at the source reaches DuckDB with the next change event; until
                    // then its absence is a mismatch to wait out, not a SQL error that ends the wait.
                    assertThat(TableSnapshot.duckdbColumns(duck, "raw", table))
                            .as("raw.%s has every source column", table)
                            .containsAll(columns);
                    assertThat(TableSnapshot.duckdb(duck, "raw." + table, columns))
                            .as("raw.%s equals the source table", table)
                            .isEqualTo(TableSnapshot.postgres(dsn, table, columns));
                }
            }
        });
    }

    private static void awaitMartsVerify() {
        AtomicReference<VerifyReport> last = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                VerifyReport report = new MartVerifier().verify(duck);
                last.set(report);
                assertThat(report.allEqual()).as(report.render(10)).isTrue();
                assertThat(report.marts()).allMatch(m -> m.batchRows() > 0 || m.mart().equals("customers_by_age"));
            }
        });
    }

    private static void sql(String script) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            for (String s : script.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }
}
