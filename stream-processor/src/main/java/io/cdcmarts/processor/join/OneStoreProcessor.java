package io.cdcmarts.processor.join;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;

/**
 * A join step keyed by an id, with one store of its own (uncached: only this step reads it) and a
 * record at a time: {@link #process} reads and writes the store and forwards through the context.
 *
 * @param <VI> the input value
 * @param <VO> the output value
 * @param <S>  the stored value per key
 */
abstract class OneStoreProcessor<VI, VO, S> implements ProcessorSupplier<Long, VI, Long, VO> {

    private final StoreBuilder<KeyValueStore<Long, S>> store;

    OneStoreProcessor(String storeName, StoreType storeType, Serde<S> stateSerde) {
        this.store = storeType.keyValueStore(storeName, IdKeySerde.INSTANCE, stateSerde);
    }

    /** Handles one record with a non-null key. */
    protected abstract void process(Record<Long, VI> record, KeyValueStore<Long, S> states, ProcessorContext<Long, VO> context);

    @Override
    public final Set<StoreBuilder<?>> stores() {
        return Set.of(store);
    }

    @Override
    public final Processor<Long, VI, Long, VO> get() {
        return new Processor<>() {
            private ProcessorContext<Long, VO> context;
            private KeyValueStore<Long, S> states;

            @Override
            public void init(ProcessorContext<Long, VO> context) {
                this.context = context;
                this.states = context.getStateStore(store.name());
            }

            @Override
            public void process(Record<Long, VI> record) {
                if (record.key() != null) {
                    OneStoreProcessor.this.process(record, states, context);
                }
            }
        };
    }
}
