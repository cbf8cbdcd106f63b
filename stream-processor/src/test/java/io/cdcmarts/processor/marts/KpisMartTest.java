package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.order;
import static io.cdcmarts.processor.testkit.MartAssert.assertRow;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code kpis}: one row over every revenue order, with customers and repeat customers. */
class KpisMartTest {

    private static final String ALL = "{\"kpi_scope\":\"all\"}";

    private ProcessorHarness h;

    @BeforeEach
    void customerOneOrdersTwiceCustomerTwoOnce() {
        h = new ProcessorHarness();
        h.insert("orders", order(1000, 1, "paid", "2024-03-01T10:00:00Z"));
        h.insert("order_items", item(5000, 1000, 100, 2, "35.50"));
        h.insert("order_items", item(5001, 1000, 110, 1, "19.99"));
        h.insert("orders", order(1003, 1, "shipped", "2024-03-03T10:00:00Z"));
        h.insert("order_items", item(5003, 1003, 100, 1, "10.00"));
        h.insert("orders", order(1001, 2, "paid", "2024-03-02T10:00:00Z"));
        h.insert("order_items", item(5002, 1001, 101, 1, "10.00"));
        h.insert("orders", order(1002, 2, "pending", "2024-03-02T11:00:00Z"));
        h.insert("order_items", item(5004, 1002, 101, 7, "10.00"));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void kpisSumEveryRevenueOrder() {
        assertRow(h.martRow(Mart.KPIS, ALL), "kpi_scope", "all", "orders", 3, "units", 5, "revenue", $("110.99"),
                "avg_order_value", $("36.9967"), "units_per_order", $("1.6667"),
                "customers_with_orders", 2, "repeat_customers", 1, "repeat_purchase_rate", $("0.5000"));
    }

    @Test
    void anOrderMovedToAnotherCustomerMovesRepeatCustomers() {
        // customer 1 keeps one order, customer 2 now has two
        h.update("orders", order(1003, 2, "shipped", "2024-03-03T10:00:00Z"));
        assertRow(h.martRow(Mart.KPIS, ALL), "orders", 3, "customers_with_orders", 2, "repeat_customers", 1,
                "revenue", $("110.99"));

        // each of three customers has one order
        h.update("orders", order(1001, 3, "paid", "2024-03-02T10:00:00Z"));
        assertRow(h.martRow(Mart.KPIS, ALL), "orders", 3, "customers_with_orders", 3, "repeat_customers", 0,
                "repeat_purchase_rate", $("0.0000"));
    }

    @Test
    void statusPriceAndQuantityChangesMoveTheKpis() {
        h.update("orders", order(1002, 2, "paid", "2024-03-02T11:00:00Z")); // pending -> paid: +7 units, +70.00
        assertRow(h.martRow(Mart.KPIS, ALL), "orders", 4, "units", 12, "revenue", $("180.99"),
                "avg_order_value", $("45.2475"), "units_per_order", $("3.0000"), "repeat_customers", 2,
                "repeat_purchase_rate", $("1.0000"));

        h.update("order_items", item(5004, 1002, 101, 1, "0.01"));
        assertRow(h.martRow(Mart.KPIS, ALL), "orders", 4, "units", 6, "revenue", $("111.00"),
                "avg_order_value", $("27.7500"), "units_per_order", $("1.5000"));
    }

    @Test
    void ordersWithoutACustomerCountButAreNoCustomer() {
        h.insert("orders", order(1005, 0, "paid", "2024-03-02T10:00:00Z").with("customer_id", null));

        assertRow(h.martRow(Mart.KPIS, ALL), "orders", 4, "customers_with_orders", 2, "repeat_customers", 1);
    }

    @Test
    void theRowGoesWhenTheLastRevenueOrderGoes() {
        h.delete("orders", order(1000, 1, "paid", "2024-03-01T10:00:00Z"));
        h.update("orders", order(1003, 1, "cancelled", "2024-03-03T10:00:00Z"));
        assertRow(h.martRow(Mart.KPIS, ALL), "orders", 1, "units", 1, "revenue", $("10.00"),
                "customers_with_orders", 1, "repeat_customers", 0);

        h.delete("orders", order(1001, 2, "paid", "2024-03-02T10:00:00Z"));
        assertThat(h.mart(Mart.KPIS)).isEmpty();
    }
}
