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
import static io.cdcmarts.processor.marts.RevenueMartsFixture.PENDING;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.RUNNER;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.V100;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.V101;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.V110;
import static io.cdcmarts.processor.testkit.MartAssert.assertRow;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code revenue_by_product}: raw items, variants and products of revenue orders. */
class RevenueByProductMartTest {

    private static final String P10 = "{\"product_id\":10}";
    private static final String P11 = "{\"product_id\":11}";

    private ProcessorHarness h;

    @BeforeEach
    void load() {
        h = RevenueMartsFixture.load();
    }

    @AfterEach
    void close() {
        h.close();
    }

    private void assertP10(long units, String revenue, String cost, String profit) {
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT, P10), "product_id", 10, "units", units, "revenue", $(revenue),
                "cost", $(cost), "gross_profit", $(profit));
    }

    private void assertP11(long units, String revenue, String cost, String profit) {
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT, P11), "product_id", 11, "units", units, "revenue", $(revenue),
                "cost", $(cost), "gross_profit", $(profit));
    }

    @Test
    void revenueCostAndProfitPerProduct() {
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT, P10), "product_name", "Runner", "category", "shoes");
        assertP10(3, "111.00", "65.00", "46.00");
        assertP11(3, "59.97", "45.00", "14.97");
    }

    @Test
    void itemPriceAndQuantityUpdatesMoveByTheDifference() {
        h.update("order_items", I5000.with("unit_price", $("30.00")));
        assertP10(3, "100.00", "65.00", "35.00");

        h.update("order_items", I5002.with("quantity", 1));
        assertP11(1, "19.99", "15.00", "4.99");
    }

    @Test
    void aManufacturingPriceChangeMovesTheCostOfEveryItemSold() {
        h.update("product_variants", V100.with("manufacturing_price", $("22.50")));

        assertP10(3, "111.00", "70.00", "41.00");
    }

    @Test
    void anItemMovedToAnotherVariantMovesToThatProduct() {
        h.update("order_items", I5001.with("variant_id", 110L));

        assertP10(2, "71.00", "40.00", "31.00");
        assertP11(4, "99.97", "60.00", "39.97");
    }

    @Test
    void aVariantMovedToAnotherProductTakesItsItems() {
        h.update("product_variants", V101.with("product_id", 11L).with("size", "L"));

        assertP10(2, "71.00", "40.00", "31.00");
        assertP11(4, "99.97", "70.00", "29.97");
    }

    @Test
    void theProductsNameAndCategoryAreAsTheSourceHasThem() {
        h.update("products", COZY.with("name", "  Cozy Hoodie ").with("category", " Jackets"));

        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT, P11), "product_name", "  Cozy Hoodie ", "category", " Jackets");
        assertP11(3, "59.97", "45.00", "14.97");
    }

    @Test
    void orderStatusDecidesWhichItemsCount() {
        h.update("orders", PENDING.with("status", "shipped"));
        assertP10(8, "261.00", "165.00", "96.00");

        h.update("orders", PAID.with("status", "cancelled"));
        assertP10(5, "150.00", "100.00", "50.00");
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT, P11)).isNull();
    }

    @Test
    void itemsOfAQuarantinedVariantStillCount() {
        h.update("product_variants", V100.with("size", "XS")); // fails size_matches_category
        assertThat(h.stg("product_variants", 100)).isNull();

        assertP10(3, "111.00", "65.00", "46.00");
    }

    @Test
    void rawItemsCountEvenWhenTheyFailTheirChecks() {
        h.insert("order_items", I5000.with("id", 5009L).with("quantity", -1)); // fails "positive", still a raw row

        assertP10(2, "75.50", "45.00", "30.50");
    }

    @Test
    void deletesRetractAndTheLastItemDeletesTheRow() {
        h.delete("order_items", I5000);
        assertP10(1, "40.00", "25.00", "15.00");

        h.delete("product_variants", V101); // its items have no variant any more
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT, P10)).isNull();

        h.delete("orders", PAID);
        assertThat(h.mart(Mart.REVENUE_BY_PRODUCT)).isEmpty();
    }

    @Test
    void aDeletedProductTakesItsRowAndComesBackWithIt() {
        h.delete("products", COZY);
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT, P11)).isNull();

        h.insert("products", COZY);
        assertP11(3, "59.97", "45.00", "14.97");
    }

    @Test
    void itemsOfUnknownVariantsWaitForThem() {
        h.insert("order_items", I5002.with("id", 5010L).with("variant_id", 120L));
        assertP11(3, "59.97", "45.00", "14.97");

        h.insert("product_variants", V110.with("id", 120L).with("manufacturing_price", $("1.00")));
        assertP11(6, "119.94", "48.00", "71.94");
    }

    @Test
    void stagingMartsAreUntouchedByRawOnlyChanges() {
        h.update("products", RUNNER.with("name", "Runner 2"));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT, P10), "product_name", "Runner 2");
        assertP10(3, "111.00", "65.00", "46.00");
    }
}
