package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.generator.BulkGenerator;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.generator.Schema;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyReport;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
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
    static Pipeline pipeline;
    static SinkService sink;

    @BeforeAll
    static void startPipeline() throws Exception {
        Infra infra = SharedInfra.get();
        dsn = infra.newDatabase("pipeline_it");
        Schema.create(dsn);
        new BulkGenerator(GeneratorConfig.builder(dsn).customers(40).products(15).orders(150).chaosPercent(10)
                .window(Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-03-05T23:59:59Z")).build()).run();
        pipeline = Pipeline.start(dsn, KafkaSettings.of(infra.kafkaBootstrap(), "pipeit"), dir);
        sink = pipeline.sink;
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
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
                ALTER TABLE customers ADD COLUMN loyalty_tier TEXT;
                UPDATE customers SET loyalty_tier = 'gold' WHERE id % 3 = 1;
                INSERT INTO order_items (order_id, variant_id, quantity, unit_price)
                    SELECT o.id, (SELECT max(id) FROM product_variants), 2, 12.345 FROM orders o WHERE o.id % 10 = 1;
                """);

        awaitRawEqualsSource();
        awaitMartsVerify();
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
}
