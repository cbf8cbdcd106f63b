package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The one building block of the marts: a processor that keeps, per key, the latest of its inputs
 * in a store of its own and sends downstream what changes between what the old state and the new
 * state contribute. Retractions are computed from this store and nothing else: never from an old
 * value handed down by another operator, never through another store's getter or cache. So what a
 * ledger has sent for a key always adds up to what its current state contributes, whatever the
 * order, the timing or the caching of its inputs; under exactly-once the store and the sent
 * differences commit together.
 *
 * <p>Its inputs are latest values per key (a row, a total) or signed differences; both converge, so
 * once the input stops every ledger's state, and with it every sum downstream, is the batch result.
 * The store is cached by default: only this processor reads it, so the cache only saves changelog
 * writes, which pays where a key changes several times within a commit interval (an order and its
 * items, a variant's totals). A ledger whose keys change about once per interval turns it off: the
 * cache then only adds a copy, a sorted-map entry and a flush per write.
 *
 * @param <K> the key
 * @param <I> the input value
 * @param <S> the state per key (null: nothing kept)
 */
public abstract class Ledger<K, I, S> implements ProcessorSupplier<K, I, K, Share> {

    private final StoreBuilder<KeyValueStore<K, S>> store;

    protected Ledger(String storeName, StoreType storeType, Serde<K> keySerde, Serde<S> stateSerde) {
        this(storeName, storeType, keySerde, stateSerde, true);
    }

    /** @param cached whether the ledger's store has a record cache (see above) */
    protected Ledger(String storeName, StoreType storeType, Serde<K> keySerde, Serde<S> stateSerde, boolean cached) {
        StoreBuilder<KeyValueStore<K, S>> builder = storeType.keyValueStore(storeName, keySerde, stateSerde);
        this.store = cached ? builder.withCachingEnabled() : builder.withCachingDisabled();
    }

    /** The state after {@code input}; null when nothing is left to keep. */
    protected abstract S update(K key, S state, I input);

    /** Sends what changes from {@code before} to {@code after} (either may be null). */
    protected abstract void emit(K key, S before, S after, Consumer<Share> out);

    @Override
    public final Set<StoreBuilder<?>> stores() {
        return Set.of(store);
    }

    @Override
    public final Processor<K, I, K, Share> get() {
        return new Processor<>() {
            private ProcessorContext<K, Share> context;
            private KeyValueStore<K, S> states;

            @Override
            public void init(ProcessorContext<K, Share> context) {
                this.context = context;
                this.states = context.getStateStore(store.name());
            }

            @Override
            public void process(Record<K, I> record) {
                K key = record.key();
                if (key == null) {
                    return; // no key, no row (a malformed key is a dead letter upstream)
                }
                S before = states.get(key);
                S after = update(key, before, record.value());
                if (after == null) {
                    if (before != null) {
                        states.delete(key);
                    }
                } else {
                    states.put(key, after);
                }
                emit(key, before, after, share -> context.forward(record.withValue(share)));
            }
        };
    }
}
