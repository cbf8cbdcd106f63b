package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.VariantInfo;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One variant: its item totals (summed from the orders' differences) and its info (product, price,
 * staging state, names). It owns the variant's row of {@code revenue_by_product_variant} and sends
 * its product what it adds there: items, units, revenue and cost at the current manufacturing price.
 * A variant counts only once it and its product are known (inner joins).
 */
final class VariantLedger extends Ledger<Long, VariantLedger.Input, VariantLedger.State> {

    sealed interface Input {
    }

    /** The variant's latest totals, null when no revenue item is left. */
    record TotalsChanged(LineSums totals) implements Input {
    }

    /** The variant's latest info, null when it (or its product) is gone. */
    record InfoChanged(VariantInfo info) implements Input {
    }

    record State(LineSums totals, VariantInfo info) {
    }

    VariantLedger(String storeName, StoreType storeType, Serde<State> stateSerde) {
        super(storeName, storeType, IdKeySerde.INSTANCE, stateSerde);
    }

    @Override
    protected State update(Long variantId, State state, Input input) {
        LineSums totals = state == null ? null : state.totals();
        VariantInfo info = state == null ? null : state.info();
        if (input instanceof TotalsChanged t) {
            totals = t.totals();
        } else if (input instanceof InfoChanged i) {
            info = i.info();
        }
        return totals == null && info == null ? null : new State(totals, info);
    }

    @Override
    protected void emit(Long variantId, State before, State after, Consumer<Share> out) {
        Sums.difference(toProduct(before), toProduct(after)).forEach((p, d) -> out.accept(new Share.ToProduct(p, d)));
        TypedRow rowBefore = row(variantId, before);
        TypedRow rowAfter = row(variantId, after);
        if (!Objects.equals(rowBefore, rowAfter)) {
            out.accept(new Share.MartRow(rowAfter));
        }
    }

    private static Map<Long, SalesSums> toProduct(State s) {
        if (s == null || s.totals() == null || s.info() == null || s.totals().items() <= 0) {
            return Map.of();
        }
        LineSums t = s.totals();
        return Map.of(s.info().productId(), new SalesSums(t.items(), t.units(), t.revenue(), cost(s.info(), t.units())));
    }

    /** The variant mart row: a staged variant (and product) with at least one staged item. */
    private static TypedRow row(long variantId, State s) {
        if (s == null || s.totals() == null || s.info() == null || !s.info().staged() || s.totals().stagedItems() <= 0) {
            return null;
        }
        VariantInfo info = s.info();
        LineSums t = s.totals();
        BigDecimal cost = cost(info, t.stagedUnits());
        return Mart.REVENUE_BY_PRODUCT_VARIANT.row(variantId, info.variantSku(), info.productId(), info.productName(),
                info.color(), info.size(), t.stagedUnits(), t.stagedRevenue(), cost, t.stagedRevenue().subtract(cost));
    }

    private static BigDecimal cost(VariantInfo info, long units) {
        return info.manufacturingPrice().multiply(BigDecimal.valueOf(units));
    }
}
