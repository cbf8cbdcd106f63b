package io.cdcmarts.app;

import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.kafka.KafkaSchemaLog;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.sink.http.SinkHttp;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole chain on real parts: PostgreSQL 18 → Debezium → Kafka → Kafka Streams → DuckDB.
 * Seed data with chaos, then updates and deletes of every kind, a column added at the source and
 * a generated column; every raw table must equal its source table column by column, every
 * streamed mart must equal its batch recomputation ({@code verify}), and every mart must equal
 * the same SPEC definition computed independently on PostgreSQL ({@link PostgresMartOracle}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    @TempDir
    static Path dir;

    static PipelineFixture pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = PipelineFixture.start("pipeline_it", "pipeit", dir);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void snapshotArrivesAsAnExactCopy() {
        pipeline.awaitRawEqualsSource();
        pipeline.awaitMartsEqualPostgresOracle();
    }

    @Test
    @Order(2)
    void updatesDeletesAndANewColumnKeepTheCopyExactAndTheMartsTrue() throws Exception {
        pipeline.sql("""
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
                UPDATE orders SET status = ' paid ' WHERE id % 19 = 3;
                UPDATE orders SET status = 'refunded' WHERE id % 23 = 5;
                UPDATE order_items SET quantity = 0 WHERE id % 29 = 7;
                UPDATE order_items SET unit_price = -5.00 WHERE id % 31 = 8;
                UPDATE products SET category = ' HOODIES ' WHERE id % 6 = 3 AND category <> 'shoes';
                UPDATE product_variants SET size = 'XXL' WHERE id % 7 = 2;
                UPDATE product_variants SET size = ' m ' WHERE id % 7 = 4 AND product_id IN (SELECT id FROM products WHERE category <> 'shoes');
                UPDATE customers SET age = 130 WHERE id % 8 = 5;
                UPDATE customers SET country = '  ' || country WHERE id % 8 = 6;
                DELETE FROM customers WHERE id % 2 = 0 AND id NOT IN (SELECT customer_id FROM orders);
                DELETE FROM product_variants WHERE id % 2 = 1 AND id NOT IN (SELECT variant_id FROM order_items);
                ALTER TABLE customers ADD COLUMN loyalty_tier TEXT;
                UPDATE customers SET loyalty_tier = 'gold' WHERE id % 3 = 1;
                INSERT INTO order_items (order_id, variant_id, quantity, unit_price)
                    SELECT o.id, (SELECT max(id) FROM product_variants), 2, 12.345 FROM orders o WHERE o.id % 10 = 1;
                """);

        pipeline.awaitRawEqualsSource();
        pipeline.awaitMartsVerify();
        pipeline.awaitMartsEqualPostgresOracle();
        // The raw topics are lean: the ALTER gave customers a second schema on pipeit.schemas, which
        // the processor and the sink found without a restart (the copy above has loyalty_tier)
        try (KafkaSchemaLog log = new KafkaSchemaLog(pipeline.kafka())) {
            List<String> customerSchemas = log.readToEnd().stream().map(e -> new String(e.schema(), StandardCharsets.UTF_8))
                    .filter(json -> json.contains(".customers.Value")).distinct().toList();
            assertThat(customerSchemas).hasSizeGreaterThanOrEqualTo(2).anySatisfy(json -> assertThat(json).contains("\"loyalty_tier\""))
                    .anySatisfy(json -> assertThat(json).doesNotContain("loyalty_tier"));
        }
    }

    @Test
    @Order(3)
    void everyServiceMetricIsScrapedFromMetrics() throws Exception {
        // Given the pipeline after the changes above, served as the services serve their meters
        try (ServiceHttpServer server = new ServiceHttpServer(new HttpBinding(HttpBinding.LOCALHOST, 0), "sink",
                () -> SinkHttp.health(pipeline.sink().status()), pipeline.registry()::scrape)) {
            // When /metrics is scraped
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            // Then each documented meter is there, with the counts the pipeline implies
            String metrics = response.body();
            assertThat(response.statusCode()).isEqualTo(200);
            long orders;
            try (Connection c = DriverManager.getConnection(pipeline.dsn().jdbcUrl(), pipeline.dsn().jdbcProperties());
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
}
