package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.cdcmarts.processor.marts.RevenueMartsFixture.COZY;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.I5000;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.I5002;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.PAID;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.PENDING;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.RUNNER;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.V100;
import static io.cdcmarts.processor.marts.RevenueMartsFixture.V110;
import static io.cdcmarts.processor.testkit.MartAssert.assertRow;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code revenue_by_product_variant}: staging items, variants and products of revenue orders. */
class RevenueByProductVariantMartTest {

    private static final String V100_KEY = "{\"variant_id\":100}";
    private static final String V110_KEY = "{\"variant_id\":110}";

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
    void oneRowPerVariantSoldWithItsCleanedNames() {
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY), "variant_id", 100, "variant_sku", "VAR-100",
                "product_id", 10, "product_name", "Runner", "color", "Red", "size", "42", "units", 2,
                "revenue", $("71.00"), "cost", $("40.00"), "gross_profit", $("31.00"));
        assertThat(h.mart(Mart.REVENUE_BY_PRODUCT_VARIANT)).hasSize(3);

        h.update("product_variants", V110.with("variant_sku", " var-110-b ").with("size", " m").with("color", " Blue "));
        h.update("products", COZY.with("name", "  Cozy  "));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY), "variant_sku", "VAR-110-B", "size", "M",
                "color", "Blue", "product_name", "Cozy", "units", 3, "revenue", $("59.97"));
    }

    @Test
    void aQuarantinedVariantDoesNotCountUntilFixed() {
        h.update("product_variants", V100.with("size", "XL")); // XL is not a shoe size
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY)).isNull();

        h.update("product_variants", V100.with("size", "43"));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY), "size", "43", "units", 2, "revenue", $("71.00"));
    }

    @Test
    void aProductMovedToAnotherCategoryRechecksItsVariantsSizes() {
        h.update("products", COZY.with("category", "shoes")); // size M is no shoe size
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY)).isNull();
        // the raw-layer marts still count it, under its new category
        assertRow(h.martRow(Mart.REVENUE_BY_CATEGORY, "{\"category\":\"shoes\"}"), "products_sold", 2, "units", 6);

        h.update("products", COZY.with("category", "jackets"));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY), "units", 3, "revenue", $("59.97"));
    }

    @Test
    void aQuarantinedProductTakesOutAllItsVariants() {
        h.update("products", RUNNER.with("name", "   "));
        assertThat(h.mart(Mart.REVENUE_BY_PRODUCT_VARIANT)).containsOnlyKeys(V110_KEY);

        h.update("products", RUNNER);
        assertThat(h.mart(Mart.REVENUE_BY_PRODUCT_VARIANT)).hasSize(3);
    }

    @Test
    void onlyStagedItemsCount() {
        h.insert("order_items", I5000.with("id", 5009L).with("unit_price", $("0.00")));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY), "units", 2, "revenue", $("71.00"));

        h.update("order_items", I5000.with("quantity", 0)); // the only staged item of variant 100 fails now
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY)).isNull();
        // ... while the raw-layer product mart still counts every raw item: 0 x 35.50, 2 x 0.00, 1 x 40.00
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT, "{\"product_id\":10}"), "units", 3, "revenue", $("40.00"),
                "cost", $("65.00"));
    }

    @Test
    void updatesMoveTheVariantRowByTheDifference() {
        h.update("product_variants", V110.with("manufacturing_price", $("16.50")));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY), "cost", $("49.50"), "gross_profit", $("10.47"));

        h.update("order_items", I5002.with("quantity", 2).with("unit_price", $("25.00")));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY), "units", 2, "revenue", $("50.00"),
                "cost", $("33.00"), "gross_profit", $("17.00"));

        h.update("orders", PENDING.with("status", "paid"));
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY), "units", 7, "revenue", $("221.00"),
                "cost", $("140.00"));

        h.update("order_items", I5002.with("quantity", 2).with("unit_price", $("25.00")).with("variant_id", 100L));
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY)).isNull();
        assertRow(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY), "units", 9, "revenue", $("271.00"),
                "cost", $("180.00"), "gross_profit", $("91.00"));
    }

    @Test
    void deletesRetract() {
        h.delete("order_items", I5002);
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V110_KEY)).isNull();

        h.delete("product_variants", V100);
        assertThat(h.martRow(Mart.REVENUE_BY_PRODUCT_VARIANT, V100_KEY)).isNull();

        h.delete("orders", PAID);
        assertThat(h.mart(Mart.REVENUE_BY_PRODUCT_VARIANT)).isEmpty();
    }
}
