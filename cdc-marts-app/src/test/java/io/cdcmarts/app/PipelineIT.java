package io.cdcmarts.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
    }
}
