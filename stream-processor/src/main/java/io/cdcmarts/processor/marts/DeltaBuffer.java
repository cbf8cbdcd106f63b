package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.topology.FreshOutput;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adds up the differences a task sends to each target key and forwards the sum once per
 * {@code every}, instead of one record per difference: a bulk load of a million items becomes a
 * few hundred records per interval into the repartition topic of each mart, which is where the
 * old engine spent most of its time. A sum of differences is still exact, whatever is combined.
 * A forward is output outside {@code process}, so it tells {@link FreshOutput} that it waits for a
 * commit.
 *
 * <p>Its {@link Route} picks its own differences out of a ledger's shares and addresses them, so a
 * share reaches the buffers directly, not through a filter and a re-keying step per mart (two
 * more forwards and a record copy per share).
 *
 * <p>The sums not yet forwarded are state: they live in a changelogged store that commits with the
 * input offsets and the forwarded records, so a crash between two forwards loses nothing and
 * forwards nothing twice (exactly-once). A copy in memory spares a store read per difference; it is
 * rebuilt from the store whenever the task (re)initialises, never carried over.
 *
 * <p>Where a target rarely gets two differences from one task within an interval (a customer and
 * its revenue orders), summing saves no record downstream and costs a store write and changelog
 * records per difference: such a buffer {@linkplain #passingThrough passes each difference on} at
 * once. It keeps its store only to forward, on its first interval, the sums
 * that a summing version of it left there (an upgrade needs no {@code reprocess}); it writes none.
 *
 * @param <K> the target key
 * @param <S> the additive value
 */
final class DeltaBuffer<KIn, VIn, K, S extends Sums<S>> implements ProcessorSupplier<KIn, VIn, K, S> {

    /** Where an input goes: its target key and difference, or null when it is not this buffer's. */
    @FunctionalInterface
    interface Route<KIn, VIn, K, S> {
        KeyValue<K, S> of(KIn key, VIn value);
    }

    private final StoreBuilder<KeyValueStore<K, S>> store;
    private final Duration every;
    private final Route<KIn, VIn, K, S> route;
    private final boolean summing;

    DeltaBuffer(String storeName, StoreType storeType, Serde<K> keySerde, Serde<S> sumSerde, Duration every,
                Route<KIn, VIn, K, S> route) {
        this(storeName, storeType, keySerde, sumSerde, every, route, true);
    }

    private DeltaBuffer(String storeName, StoreType storeType, Serde<K> keySerde, Serde<S> sumSerde, Duration every,
                        Route<KIn, VIn, K, S> route, boolean summing) {
        this.store = storeType.keyValueStore(storeName, keySerde, sumSerde).withCachingEnabled();
        this.every = every;
        this.route = route;
        this.summing = summing;
    }

    /** A buffer that forwards each difference as it comes (see the class comment); {@code every}: how soon leftovers go. */
    static <KIn, VIn, K, S extends Sums<S>> DeltaBuffer<KIn, VIn, K, S> passingThrough(
            String storeName, StoreType storeType, Serde<K> keySerde, Serde<S> sumSerde, Duration every, Route<KIn, VIn, K, S> route) {
        return new DeltaBuffer<>(storeName, storeType, keySerde, sumSerde, every, route, false);
    }

    /** A buffer whose inputs are already differences keyed by their target. */
    static <K, S extends Sums<S>> DeltaBuffer<K, S, K, S> keyed(String storeName, StoreType storeType, Serde<K> keySerde,
                                                                Serde<S> sumSerde, Duration every) {
        return new DeltaBuffer<>(storeName, storeType, keySerde, sumSerde, every, KeyValue::pair);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(store);
    }

    @Override
    public Processor<KIn, VIn, K, S> get() {
        return new Processor<>() {
            private ProcessorContext<K, S> context;
            private KeyValueStore<K, S> pending;
            private final Map<K, S> sums = new HashMap<>();
            private long timestamp;
            private Cancellable forwards;

            @Override
            public void init(ProcessorContext<K, S> context) {
                this.context = context;
                this.pending = context.getStateStore(store.name());
                // init runs again on this same instance when Kafka Streams revives the task after an
                // aborted transaction (a corrupted task, e.g. a commit that timed out under EOS). The
                // store is then back at the last commit; sums kept from the aborted records would be
                // forwarded once now and again when those records are processed anew.
                sums.clear();
                timestamp = 0;
                try (KeyValueIterator<K, S> it = pending.all()) {
                    while (it.hasNext()) {
                        KeyValue<K, S> kv = it.next();
                        sums.put(kv.key, kv.value);
                    }
                }
                // Kafka Streams keeps a task's punctuations across a revive: cancel the one of the last init
                if (forwards != null) {
                    forwards.cancel();
                    forwards = null;
                }
                // a passing-through buffer forwards on a schedule only what a summing version left
                if (summing || !sums.isEmpty()) {
                    forwards = context.schedule(every, PunctuationType.WALL_CLOCK_TIME, now -> forward());
                }
            }

            @Override
            public void close() {
                if (forwards != null) {
                    forwards.cancel();
                    forwards = null;
                }
            }

            @Override
            public void process(Record<KIn, VIn> record) {
                KeyValue<K, S> difference = record.value() == null ? null : route.of(record.key(), record.value());
                if (difference == null || difference.key == null || difference.value == null) {
                    return;
                }
                if (!summing) {
                    context.forward(new Record<>(difference.key, difference.value, record.timestamp()));
                    return;
                }
                timestamp = Math.max(timestamp, record.timestamp());
                S sum = sums.merge(difference.key, difference.value, Sums::plus);
                if (sum.isZero()) {
                    sums.remove(difference.key);
                    pending.delete(difference.key);
                } else {
                    pending.put(difference.key, sum);
                }
            }

            private void forward() {
                if (sums.isEmpty()) {
                    return;
                }
                // Sums read back from the store at init come from records of an earlier run, whose
                // times are not kept: they go out at the wall clock's, not at 0 (which a broker with
                // message.timestamp.before.max.ms would refuse, and FreshOutput would take for old)
                long at = timestamp > 0 ? timestamp : context.currentSystemTimeMs();
                sums.forEach((key, sum) -> {
                    context.forward(new Record<>(key, sum, at));
                    pending.delete(key);
                });
                sums.clear();
                FreshOutput.sent(context, at);
                if (!summing) {
                    forwards.cancel(); // what was left is gone; from now on each difference goes at once
                    forwards = null;
                }
            }
        };
    }
}
