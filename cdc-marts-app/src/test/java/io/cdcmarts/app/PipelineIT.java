package io.cdcmarts.app;

import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyReport;
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

    @TempDir
    static Path dir;

    static TestPipeline pipeline;
    static SinkService sink;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = TestPipeline.start("pipeline_it", "pipeit", dir, data -> data.customers(40).products(15).orders(150).chaosPercent(10));
        sink = pipeline.sink();
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
                pipeline.assertRawEqualsSource(duck);
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
