package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns the total of a day or of a customer into its difference for {@code kpis}: a day adds
 * its orders, units and revenue; a customer adds one customer with orders and, from two revenue
 * orders on, one repeat customer. Its store holds each key's total as it last sent it.
 *
 * @param <K> the day or the customer
 * @param <T> its total
 */
final class KpiFeed<K, T> extends Ledger<K, T, T> {

    private final Function<T, KpiSums> share;
    /** The key's new total from its stored one and an input. */
    private final BinaryOperator<T> next;

    private KpiFeed(String storeName, StoreType storeType, Serde<K> keySerde, Serde<T> totalSerde, Function<T, KpiSums> share,
                    BinaryOperator<T> next) {
        super(storeName, storeType, keySerde, totalSerde);
        this.share = share;
        this.next = next;
    }

    /** Fed each key's latest total (a day's, which its mart also needs as a table). */
    static <K, T> KpiFeed<K, T> ofTotals(String storeName, StoreType storeType, Serde<K> keySerde, Serde<T> totalSerde,
                                        Function<T, KpiSums> share) {
        return new KpiFeed<>(storeName, storeType, keySerde, totalSerde, share, (total, latest) -> latest);
    }

    /**
     * Fed the differences of each key's total and keeping the sum itself (a customer's, which
     * nothing else reads: a table of it upstream would be a second store and changelog of the
     * same numbers); a total back at zero is removed.
     */
    static <K, T extends Sums<T>> KpiFeed<K, T> ofDifferences(String storeName, StoreType storeType, Serde<K> keySerde,
                                                             Serde<T> totalSerde, Function<T, KpiSums> share) {
        return new KpiFeed<>(storeName, storeType, keySerde, totalSerde, share, (total, delta) -> {
            if (delta == null) {
                return total;
            }
            T sum = total == null ? delta : total.plus(delta);
            return sum.isZero() ? null : sum;
        });
    }

    @Override
    protected T update(K key, T total, T input) {
        return next.apply(total, input);
    }

    @Override
    protected void emit(K key, T before, T after, Consumer<Share> out) {
        Sums.difference(of(before), of(after)).values().forEach(d -> out.accept(new Share.ToKpis(d)));
    }

    private Map<String, KpiSums> of(T total) {
        return total == null ? Map.of() : Map.of(MartsTopology.KPI_SCOPE, share.apply(total));
    }
}
