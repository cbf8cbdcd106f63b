package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.quality.Staging;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.quality.Validated;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.raw.Rows;

import java.math.BigDecimal;

/**
 * What the revenue marts read of the source rows. Items are summed per variant first (units and
 * revenue, once over all raw items and once over the staged ones, {@link LineSums}); cost is then
 * {@code units × manufacturing_price} of the variant as it is now, which equals the sum of the line
 * costs, so a variant's price change moves one variant total instead of every item ever sold of it.
 */
public final class RevenueState {

    private RevenueState() {
    }

    /** An order item as the revenue marts read it. */
    public record ItemLine(Long orderId, Long variantId, long quantity, BigDecimal unitPrice, boolean staged) {
        static ItemLine of(Validated v) {
            return new ItemLine(Rows.longOrNull(v.cleaned(), "order_id"), Rows.longOrNull(v.cleaned(), "variant_id"),
                    Rows.longOrZero(v.cleaned(), "quantity"), Rows.decimalOrZero(v.cleaned(), "unit_price"), v.passed());
        }

        BigDecimal revenue() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity));
        }
    }

    /** A raw variant with its raw product (the foreign-key join's result). */
    public record VariantWithProduct(RawRow variant, RawRow product) {
    }

    /**
     * A variant as the revenue marts need it: its product and price from the raw layer; whether it
     * and its product are in staging, and its cleaned names, for the variant mart.
     */
    public record VariantInfo(long productId, BigDecimal manufacturingPrice, boolean staged,
                              String variantSku, String productName, String color, String size) {
        /** Judged by the same rules as the staging topics, so the variant mart agrees with stg. */
        static VariantInfo of(VariantWithProduct vp, TableRules variantRules, TableRules productRules) {
            Validated variant = Staging.validate(variantRules, vp.variant(), vp.product());
            Validated product = Staging.validate(productRules, vp.product(), null);
            return new VariantInfo(Rows.longOrZero(variant.cleaned(), "product_id"),
                    Rows.decimalOrZero(variant.cleaned(), "manufacturing_price"),
                    variant.passed() && product.passed(),
                    Rows.text(variant.cleaned(), "variant_sku"), Rows.text(product.cleaned(), "name"),
                    Rows.text(variant.cleaned(), "color"), Rows.text(variant.cleaned(), "size"));
        }
    }

    /** A product's name and category as the source has them (not cleaned). */
    public record ProductLabel(String name, String category) {
        static ProductLabel of(RawRow product) {
            return new ProductLabel(Rows.text(product.values(), "name"), Rows.text(product.values(), "category"));
        }
    }
}
