package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.quality.Staging;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.quality.Validated;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.raw.Rows;

import java.math.BigDecimal;

/**
 * The state of the revenue marts. Items are summed per variant first (units and revenue, once over
 * all raw items and once over the staged ones); cost is then {@code units × manufacturing_price}
 * of the variant as it is now, which equals the sum of the line costs, so a variant's price change
 * moves one variant total instead of every item ever sold of it.
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

    /** The items of revenue orders of one variant: all raw items, and the staged ones. */
    public record VariantTotals(long items, long units, BigDecimal revenue,
                                long stagedItems, long stagedUnits, BigDecimal stagedRevenue) {
        static VariantTotals empty() {
            return new VariantTotals(0, 0, BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);
        }

        VariantTotals plus(ItemLine line) {
            return line.staged()
                    ? new VariantTotals(items + 1, units + line.quantity(), revenue.add(line.revenue()),
                    stagedItems + 1, stagedUnits + line.quantity(), stagedRevenue.add(line.revenue()))
                    : new VariantTotals(items + 1, units + line.quantity(), revenue.add(line.revenue()),
                    stagedItems, stagedUnits, stagedRevenue);
        }

        VariantTotals minus(ItemLine line) {
            if (items == 1) {
                return null;
            }
            return line.staged()
                    ? new VariantTotals(items - 1, units - line.quantity(), revenue.subtract(line.revenue()),
                    stagedItems - 1, stagedUnits - line.quantity(), stagedRevenue.subtract(line.revenue()))
                    : new VariantTotals(items - 1, units - line.quantity(), revenue.subtract(line.revenue()),
                    stagedItems, stagedUnits, stagedRevenue);
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

    /** A variant's item totals with the variant itself. */
    public record VariantSales(VariantTotals totals, VariantInfo info) {
        /** What the variant adds to its product (raw layer: every item counts). */
        SalesTotals productContribution() {
            return new SalesTotals(totals.items(), totals.units(), totals.revenue(),
                    info.manufacturingPrice().multiply(BigDecimal.valueOf(totals.units())));
        }

        /** Whether it has a row in the variant mart: staged variant and product, and ≥ 1 staged item. */
        boolean countsInVariantMart() {
            return info.staged() && totals.stagedItems() > 0;
        }

        BigDecimal stagedCost() {
            return info.manufacturingPrice().multiply(BigDecimal.valueOf(totals.stagedUnits()));
        }
    }

    /** Items, units, revenue and cost of a product (or what one variant adds to it). */
    public record SalesTotals(long items, long units, BigDecimal revenue, BigDecimal cost) {
        static SalesTotals empty() {
            return new SalesTotals(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
        }

        SalesTotals plus(SalesTotals s) {
            return new SalesTotals(items + s.items(), units + s.units(), revenue.add(s.revenue()), cost.add(s.cost()));
        }

        SalesTotals minus(SalesTotals s) {
            return items == s.items() ? null
                    : new SalesTotals(items - s.items(), units - s.units(), revenue.subtract(s.revenue()), cost.subtract(s.cost()));
        }
    }

    /** A product's name and category as the source has them (not cleaned). */
    public record ProductLabel(String name, String category) {
        static ProductLabel of(RawRow product) {
            return new ProductLabel(Rows.text(product.values(), "name"), Rows.text(product.values(), "category"));
        }
    }

    /** A product's totals with its label: a row of {@code revenue_by_product}. */
    public record ProductSales(SalesTotals totals, ProductLabel label) {
    }

    /** A row of {@code revenue_by_category}; {@code products} counts the products sold. */
    public record CategorySales(long products, long units, BigDecimal revenue, BigDecimal cost) {
        static CategorySales empty() {
            return new CategorySales(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
        }

        CategorySales plus(SalesTotals s) {
            return new CategorySales(products + 1, units + s.units(), revenue.add(s.revenue()), cost.add(s.cost()));
        }

        CategorySales minus(SalesTotals s) {
            return products == 1 ? null
                    : new CategorySales(products - 1, units - s.units(), revenue.subtract(s.revenue()), cost.subtract(s.cost()));
        }
    }
}
