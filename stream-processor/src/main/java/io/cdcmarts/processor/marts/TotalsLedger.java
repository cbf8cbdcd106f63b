package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The shape of both dimension ledgers: one key's totals, summed upstream from its children's
 * differences, beside the label that describes the key (a variant's info, a product's name and
 * category), each its latest value. The ledger owns the key's mart row and sends its parent (a
 * product, a category) the difference in what it adds there.
 *
 * @param <T> the totals
 * @param <L> the label
 * @param <P> the parent's key
 */
abstract class TotalsLedger<T, L, P> extends Ledger<Long, TotalsLedger.Input<T, L>, TotalsLedger.State<T, L>> {

    sealed interface Input<T, L> {
    }

    /** The key's latest totals, null when nothing is left to count. */
    record TotalsChanged<T, L>(T totals) implements Input<T, L> {
    }

    /** The key's latest label, null when the row it comes from is gone. */
    record LabelChanged<T, L>(L label) implements Input<T, L> {
    }

    record State<T, L>(T totals, L label) {
    }

    static <T, L> Input<T, L> totals(T totals) {
        return new TotalsChanged<>(totals);
    }

    static <T, L> Input<T, L> label(L label) {
        return new LabelChanged<>(label);
    }

    protected TotalsLedger(String storeName, StoreType storeType, Serde<State<T, L>> stateSerde) {
        super(storeName, storeType, IdKeySerde.INSTANCE, stateSerde);
    }

    /** What the key adds to its parents in {@code state} (empty when it adds nothing). */
    protected abstract Map<P, SalesSums> toParent(State<T, L> state);

    /** The share that sends {@code delta} to {@code parent}. */
    protected abstract Share toParent(P parent, SalesSums delta);

    /** The key's mart row in {@code state}, or null when it has none. */
    protected abstract TypedRow row(long key, State<T, L> state);

    @Override
    protected final State<T, L> update(Long key, State<T, L> state, Input<T, L> input) {
        T totals = state == null ? null : state.totals();
        L label = state == null ? null : state.label();
        if (input instanceof TotalsChanged<T, L> t) {
            totals = t.totals();
        } else if (input instanceof LabelChanged<T, L> l) {
            label = l.label();
        }
        return totals == null && label == null ? null : new State<>(totals, label);
    }

    @Override
    protected final void emit(Long key, State<T, L> before, State<T, L> after, Consumer<Share> out) {
        Sums.difference(toParent(before), toParent(after)).forEach((p, d) -> out.accept(toParent(p, d)));
        TypedRow rowBefore = row(key, before);
        TypedRow rowAfter = row(key, after);
        if (!Objects.equals(rowBefore, rowAfter)) {
            out.accept(new Share.MartRow(rowAfter));
        }
    }
}
