package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.testkit.ProcessorHarness;
import io.cdcmarts.processor.testkit.Row;

import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.order;
import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;

/**
 * A small catalogue and orders for the revenue marts:
 * <pre>
 * product 10 "Runner" shoes:   variant 100 size 42 cost 20.00, variant 101 size 44 cost 25.00
 * product 11 "Cozy" hoodies:   variant 110 size M  cost 15.00
 * order 1000 paid:    item 5000 v100 2 × 35.50, item 5001 v101 1 × 40.00, item 5002 v110 3 × 19.99
 * order 1001 pending: item 5003 v100 5 × 30.00
 * </pre>
 * So product 10: 3 units, revenue 111.00, cost 65.00; product 11: 3 units, revenue 59.97, cost 45.00.
 */
final class RevenueMartsFixture {

    static final Row RUNNER = product(10, "shoes").with("name", "Runner");
    static final Row COZY = product(11, "hoodies").with("name", "Cozy");
    static final Row V100 = variant(100, 10, "42", "20.00");
    static final Row V101 = variant(101, 10, "44", "25.00");
    static final Row V110 = variant(110, 11, "M", "15.00");
    static final Row PAID = order(1000, 1, "paid", "2024-03-01T10:00:00Z");
    static final Row PENDING = order(1001, 1, "pending", "2024-03-01T11:00:00Z");
    static final Row I5000 = item(5000, 1000, 100, 2, "35.50");
    static final Row I5001 = item(5001, 1000, 101, 1, "40.00");
    static final Row I5002 = item(5002, 1000, 110, 3, "19.99");
    static final Row I5003 = item(5003, 1001, 100, 5, "30.00");

    private RevenueMartsFixture() {
    }

    static ProcessorHarness load() {
        ProcessorHarness h = new ProcessorHarness();
        h.insert("products", RUNNER).insert("products", COZY);
        h.insert("product_variants", V100).insert("product_variants", V101).insert("product_variants", V110);
        h.insert("orders", PAID).insert("orders", PENDING);
        h.insert("order_items", I5000).insert("order_items", I5001).insert("order_items", I5002).insert("order_items", I5003);
        return h;
    }
}
