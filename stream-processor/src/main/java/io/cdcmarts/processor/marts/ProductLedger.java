package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.ProductLabel;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;

/**
 * One product: its totals (summed from its variants' differences) and its raw name and category.
 * It owns the product's row of {@code revenue_by_product} and sends its category one product sold
 * with its units, revenue and cost. A product counts once it is known and has a revenue item.
 */
final class ProductLedger extends TotalsLedger<SalesSums, ProductLabel, String> {

    ProductLedger(String storeName, StoreType storeType, Serde<State<SalesSums, ProductLabel>> stateSerde) {
        super(storeName, storeType, stateSerde);
    }

    private static boolean counts(State<SalesSums, ProductLabel> s) {
        return s != null && s.label() != null && s.totals() != null && s.totals().count() > 0;
    }

    @Override
    protected Map<String, SalesSums> toParent(State<SalesSums, ProductLabel> s) {
        if (!counts(s) || s.label().category() == null) {
            return Map.of();
        }
        SalesSums t = s.totals();
        return Map.of(s.label().category(), new SalesSums(1, t.units(), t.revenue(), t.cost()));
    }

    @Override
    protected Share toParent(String category, SalesSums delta) {
        return new Share.ToCategory(category, delta);
    }

    @Override
    protected TypedRow row(long productId, State<SalesSums, ProductLabel> s) {
        if (!counts(s)) {
            return null;
        }
        SalesSums t = s.totals();
        return Mart.REVENUE_BY_PRODUCT.row(productId, s.label().name(), s.label().category(),
                t.units(), t.revenue(), t.cost(), t.grossProfit());
    }
}
