package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.testkit.ProcessorHarness;
import io.cdcmarts.processor.testkit.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.order;
import static io.cdcmarts.processor.testkit.MartAssert.assertRow;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sales_daily}: revenue orders (staging) and their staging items, by UTC day. */
class SalesDailyMartTest {

    private static final String MAR1 = "{\"day\":\"2024-03-01\"}";
    private static final String MAR2 = "{\"day\":\"2024-03-02\"}";
    private static final int MAR1_EPOCH_DAY = (int) LocalDate.of(2024, 3, 1).toEpochDay();

    private ProcessorHarness h;
    private final Row paid = order(1000, 1, "paid", "2024-03-01T10:00:00Z");
    private final Row shipped = order(1001, 2, "shipped", "2024-03-01T23:59:59.999999Z");

    @BeforeEach
    void twoRevenueOrdersOnMarch1() {
        h = new ProcessorHarness();
        h.insert("orders", paid);
        h.insert("order_items", item(5000, 1000, 100, 2, "35.50"));
        h.insert("order_items", item(5001, 1000, 110, 1, "19.99"));
        h.insert("orders", shipped);
        h.insert("order_items", item(5002, 1001, 101, 1, "10.00"));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private void assertMarch1(long orders, long units, String revenue, String avg) {
        assertRow(h.martRow(Mart.SALES_DAILY, MAR1), "day", MAR1_EPOCH_DAY, "orders", orders, "units", units,
                "revenue", $(revenue), "avg_order_value", $(avg));
    }

    @Test
    void revenueOrdersAndTheirItemsAreSummedPerDay() {
        assertMarch1(2, 4, "100.99", "50.4950");
        assertThat(h.mart(Mart.SALES_DAILY)).containsOnlyKeys(MAR1);
    }

    @Test
    void ordersThatAreNotRevenueOrdersCountNowhere() {
        h.insert("orders", order(1002, 1, "pending", "2024-03-01T12:00:00Z"));
        h.insert("order_items", item(5003, 1002, 100, 9, "99.00"));
        h.insert("orders", order(1003, 1, "cancelled", "2024-03-02T12:00:00Z"));
        h.insert("order_items", item(5004, 1003, 100, 9, "99.00"));

        assertMarch1(2, 4, "100.99", "50.4950");
        assertThat(h.mart(Mart.SALES_DAILY)).containsOnlyKeys(MAR1);
    }

    @Test
    void aPriceUpdateMovesRevenueByTheDifference() {
        h.update("order_items", item(5000, 1000, 100, 2, "40.00"));

        assertMarch1(2, 4, "109.99", "54.9950");
    }

    @Test
    void aQuantityUpdateMovesUnitsAndRevenue() {
        h.update("order_items", item(5001, 1000, 110, 3, "19.99"));

        assertMarch1(2, 6, "140.97", "70.4850");
    }

    @Test
    void aStatusChangeTakesTheOrderOutAndBackIn() {
        h.update("orders", shipped.with("status", "cancelled"));
        assertMarch1(1, 3, "90.99", "90.9900");

        h.update("orders", shipped.with("status", "paid"));
        assertMarch1(2, 4, "100.99", "50.4950");
    }

    @Test
    void anOrderMovedToAnotherDayMovesWithItsItems() {
        h.update("orders", shipped.with("order_date", "2024-03-02T00:00:01Z"));

        assertMarch1(1, 3, "90.99", "90.9900");
        assertRow(h.martRow(Mart.SALES_DAILY, MAR2), "orders", 1, "units", 1, "revenue", $("10.00"),
                "avg_order_value", $("10.0000"));
    }

    @Test
    void theDayIsTheUtcDayOfTheOrderDate() {
        // 01:00 in UTC+02:00 on March 2nd is 23:00 UTC on March 1st
        h.insert("orders", order(1002, 1, "paid", "2024-03-02T01:00:00+02:00"));

        assertMarch1(3, 4, "100.99", "33.6633");
        assertThat(h.mart(Mart.SALES_DAILY)).containsOnlyKeys(MAR1);
    }

    @Test
    void anItemMovedToAnotherOrderMovesWithIt() {
        h.insert("orders", order(1002, 1, "paid", "2024-03-02T09:00:00Z"));
        h.update("order_items", item(5000, 1002, 100, 2, "35.50"));

        assertMarch1(2, 2, "29.99", "14.9950");
        assertRow(h.martRow(Mart.SALES_DAILY, MAR2), "orders", 1, "units", 2, "revenue", $("71.00"));
    }

    @Test
    void aRevenueOrderWithoutStagedItemsCountsWithZeroRevenue() {
        h.insert("orders", order(1002, 1, "paid", "2024-03-02T09:00:00Z"));

        assertRow(h.martRow(Mart.SALES_DAILY, MAR2), "orders", 1, "units", 0, "revenue", $("0.00"),
                "avg_order_value", $("0.0000"));
    }

    @Test
    void itemsThatFailTheirChecksDoNotCountButItemsOfAnyVariantDo() {
        // quantity 0 fails "positive"; variant 999 does not exist anywhere: staging items count whatever their variant
        h.insert("order_items", item(5003, 1000, 100, 0, "50.00"));
        h.insert("order_items", item(5004, 1000, 999, 1, "1.01"));

        assertMarch1(2, 5, "102.00", "51.0000");
    }

    @Test
    void anOrderThatFailsItsChecksLeavesTheMart() {
        h.update("orders", shipped.with("status", "SHIPPED")); // status is only trimmed: not an accepted value

        assertMarch1(1, 3, "90.99", "90.9900");
    }

    @Test
    void deletesRetractAndTheLastContributorDeletesTheRow() {
        h.delete("order_items", item(5001, 1000, 110, 1, "19.99"));
        assertMarch1(2, 3, "81.00", "40.5000");

        h.delete("orders", shipped);
        assertMarch1(1, 2, "71.00", "71.0000");

        h.delete("orders", paid);
        assertThat(h.martRow(Mart.SALES_DAILY, MAR1)).as("no row at zero").isNull();
        assertThat(h.mart(Mart.SALES_DAILY)).isEmpty();
    }

    @Test
    void changesThatDoNotConcernTheSalesMartLeaveItAsItIs() {
        h.update("order_items", item(5000, 1000, 101, 2, "35.50")); // another variant
        h.update("orders", paid.with("customer_id", 7L));           // another customer, same day
        h.insert("product_variants", io.cdcmarts.processor.testkit.Fixtures.variant(100, 10, "M", "99.00"));

        assertMarch1(2, 4, "100.99", "50.4950");
    }

    @Test
    void itemsArrivingBeforeTheirOrderCountOnceItArrives() {
        h.insert("order_items", item(5010, 1010, 100, 4, "2.50"));
        assertMarch1(2, 4, "100.99", "50.4950");

        h.insert("orders", order(1010, 3, "paid", "2024-03-01T08:00:00Z"));
        assertMarch1(3, 8, "110.99", "36.9967");
    }
}
