package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.cdcmarts.processor.marts.RevenueMartsFixture.COZY;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.I5000;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.I5001;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.I5002;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.PAID;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.RUNNER;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.V100;
import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;
import static io.cdcmarts.processor.testkit.MartAssert.assertRow;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code revenue_by_category}: products sold (distinct) and their sums, per raw category. */
class RevenueByCategoryMartTest {

    private static final String SHOES = "{\"category\":\"shoes\"}";
    private static final String HOODIES = "{\"category\":\"hoodies\"}";

    private ProcessorHarness h;

    @BeforeEach
    void load() {
        h = RevenueMartsFixture.load();
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void productsSoldCountsDistinctProducts() {
        // two variants of one product sold: one product
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, SHOES), "category", "shoes", "products_sold", 1, "units", 3,
                "revenue", $("111.00"), "cost", $("65.00"), "gross_profit", $("46.00"));

        h.insert("products", product(12, "shoes"));
        h.insert("product_variants", variant(120, 12, "40", "5.00"));
        h.insert("order_items", item(5010, 1000, 120, 1, "9.99"));

        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, SHOES), "products_sold", 2, "units", 4,
                "revenue", $("120.99"), "cost", $("70.00"), "gross_profit", $("50.99"));
    }

    @Test
    void aProductMovedToAnotherCategoryTakesItsSales() {
        h.update("products", RUNNER.with("category", "hoodies"));

        assertThat(h.martRow(Mart.REVENUE_BY_CATEGORY, SHOES)).isNull();
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, HOODIES), "products_sold", 2, "units", 6,
                "revenue", $("170.97"), "cost", $("110.00"), "gross_profit", $("60.97"));
    }

    @Test
    void categoriesAreAsTheSourceHasThem() {
        h.update("products", COZY.with("category", "Hoodies "));

        assertThat(h.martRow(Mart.REVENUE_BY_CATEGORY, HOODIES)).isNull();
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, "{\"category\":\"Hoodies \"}"), "products_sold", 1, "units", 3);
    }

    @Test
    void updatesAndDeletesMoveByTheDifference() {
        h.update("product_variants", V100.with("manufacturing_price", $("10.00")));
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, SHOES), "cost", $("45.00"), "gross_profit", $("66.00"));

        h.delete("order_items", I5000);
        h.delete("order_items", I5001);
        assertThat(h.martRow(Mart.REVENUE_BY_CATEGORY, SHOES)).as("the last product sold is gone").isNull();

        h.update("order_items", I5002.with("unit_price", $("20.00")));
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, HOODIES), "products_sold", 1, "revenue", $("60.00"),
                "gross_profit", $("15.00"));

        h.update("orders", PAID.with("status", "pending"));
        assertThat(h.mart(Mart.REVENUE_BY_CATEGORY)).isEmpty();

        h.update("orders", PAID.with("status", "shipped"));
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, HOODIES), "products_sold", 1, "revenue", $("60.00"));

        h.delete("orders", PAID);
        assertThat(h.mart(Mart.REVENUE_BY_CATEGORY)).isEmpty();
    }
}
