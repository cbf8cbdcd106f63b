package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.VariantInfo;
import org.apache.kafka.common.serialization.Serde;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One variant: its item totals (summed from the orders' differences) and its info (product, price,
 * staging state, names). It owns the variant's row of {@code revenue_by_product_variant} and sends
 * its product what it adds there: items, units, revenue and cost at the current manufacturing price.
 * A variant counts only once it and its product are known (inner joins).
 */
final class VariantLedger extends TotalsLedger<LineSums, VariantInfo, Long> {

    VariantLedger(String storeName, StoreType storeType, Serde<State<LineSums, VariantInfo>> stateSerde) {
        super(storeName, storeType, stateSerde);
    }

    @Override
    protected Map<Long, SalesSums> toParent(State<LineSums, VariantInfo> s) {
        if (s == null || s.totals() == null || s.label() == null || s.totals().items() <= 0) {
            return Map.of();
        }
        LineSums t = s.totals();
        return Map.of(s.label().productId(), new SalesSums(t.items(), t.units(), t.revenue(), cost(s.label(), t.units())));
    }

    @Override
    protected Share toParent(Long productId, SalesSums delta) {
        return new Share.ToProduct(productId, delta);
    }

    /** The variant mart row: a staged variant (and product) with at least one staged item. */
    @Override
    protected TypedRow row(long variantId, State<LineSums, VariantInfo> s) {
        if (s == null || s.totals() == null || s.label() == null || !s.label().staged() || s.totals().stagedItems() <= 0) {
            return null;
        }
        VariantInfo info = s.label();
        LineSums t = s.totals();
        BigDecimal cost = cost(info, t.stagedUnits());
        return Mart.REVENUE_BY_PRODUCT_VARIANT.row(variantId, info.variantSku(), info.productId(), info.productName(),
                info.color(), info.size(), t.stagedUnits(), t.stagedRevenue(), cost, t.stagedRevenue().subtract(cost));
    }

    private static BigDecimal cost(VariantInfo info, long units) {
        return info.manufacturingPrice().multiply(BigDecimal.valueOf(units));
    }
}
