package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns the latest total of a day or of a customer into its difference for {@code kpis}: a day adds
 * its orders, units and revenue; a customer adds one customer with orders and, from two revenue
 * orders on, one repeat customer.
 *
 * @param <K> the day or the customer
 * @param <T> its total
 */
final class KpiFeed<K, T> extends Ledger<K, T, T> {

    private final Function<T, KpiSums> share;

    KpiFeed(String storeName, StoreType storeType, Serde<K> keySerde, Serde<T> totalSerde, Function<T, KpiSums> share) {
        super(storeName, storeType, keySerde, totalSerde);
        this.share = share;
    }

    @Override
    protected T update(K key, T total, T latest) {
        return latest;
    }

    @Override
    protected void emit(K key, T before, T after, Consumer<Share> out) {
        Sums.difference(of(before), of(after)).values().forEach(d -> out.accept(new Share.ToKpis(d)));
    }

    private Map<String, KpiSums> of(T total) {
        return total == null ? Map.of() : Map.of(MartsTopology.KPI_SCOPE, share.apply(total));
    }
}
