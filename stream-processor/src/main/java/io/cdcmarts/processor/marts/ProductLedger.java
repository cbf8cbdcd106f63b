package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.ProductLabel;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One product: its totals (summed from its variants' differences) and its raw name and category.
 * It owns the product's row of {@code revenue_by_product} and sends its category one product sold
 * with its units, revenue and cost. A product counts once it is known and has a revenue item.
 */
final class ProductLedger extends Ledger<Long, ProductLedger.Input, ProductLedger.State> {

    sealed interface Input {
    }

    record TotalsChanged(SalesSums totals) implements Input {
    }

    record LabelChanged(ProductLabel label) implements Input {
    }

    record State(SalesSums totals, ProductLabel label) {
    }

    ProductLedger(String storeName, StoreType storeType, Serde<State> stateSerde) {
        super(storeName, storeType, IdKeySerde.INSTANCE, stateSerde);
    }

    @Override
    protected State update(Long productId, State state, Input input) {
        SalesSums totals = state == null ? null : state.totals();
        ProductLabel label = state == null ? null : state.label();
        if (input instanceof TotalsChanged t) {
            totals = t.totals();
        } else if (input instanceof LabelChanged l) {
            label = l.label();
        }
        return totals == null && label == null ? null : new State(totals, label);
    }

    @Override
    protected void emit(Long productId, State before, State after, Consumer<Share> out) {
        Sums.difference(toCategory(before), toCategory(after)).forEach((c, d) -> out.accept(new Share.ToCategory(c, d)));
        TypedRow rowBefore = row(productId, before);
        TypedRow rowAfter = row(productId, after);
        if (!Objects.equals(rowBefore, rowAfter)) {
            out.accept(new Share.MartRow(rowAfter));
        }
    }

    private static boolean counts(State s) {
        return s != null && s.label() != null && s.totals() != null && s.totals().count() > 0;
    }

    private static Map<String, SalesSums> toCategory(State s) {
        if (!counts(s) || s.label().category() == null) {
            return Map.of();
        }
        SalesSums t = s.totals();
        return Map.of(s.label().category(), new SalesSums(1, t.units(), t.revenue(), t.cost()));
    }

    private static TypedRow row(long productId, State s) {
        if (!counts(s)) {
            return null;
        }
        SalesSums t = s.totals();
        return Mart.REVENUE_BY_PRODUCT.row(productId, s.label().name(), s.label().category(),
                t.units(), t.revenue(), t.cost(), t.grossProfit());
    }
}
