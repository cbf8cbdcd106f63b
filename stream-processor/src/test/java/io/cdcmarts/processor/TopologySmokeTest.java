package io.cdcmarts.processor;

import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.Test;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.order;
import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;

class TopologySmokeTest {

    @Test
    void oneOrderFlowsThrough() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1));
            h.insert("products", product(10, "shoes"));
            h.insert("product_variants", variant(100, 10, "42", "20.00"));
            h.insert("orders", order(1000, 1, "paid", "2024-03-01T10:15:30.123456Z"));
            h.insert("order_items", item(5000, 1000, 100, 2, "35.50"));
            System.out.println(h.driver().producedTopicNames());
            for (Mart<?> m : Mart.ALL) {
                System.out.println(m + " " + h.mart(m));
            }
            System.out.println(h.stg("product_variants"));
            assertThat(h.mart(Mart.SALES_DAILY)).hasSize(1);
        }
    }
}
