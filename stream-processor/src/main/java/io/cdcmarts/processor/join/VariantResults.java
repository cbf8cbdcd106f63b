package io.cdcmarts.processor.join;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Objects;
import java.util.Set;

/**
 * The join's result per variant, keyed by the variant: the result of the newest variant version
 * seen. Results reach it from the joiners of different products (a variant that moved is answered
 * by its new product while its old one may still answer for the version before), so an older
 * version never overwrites a newer one, whatever order the partitions deliver them in. A cleared
 * result keeps its version in the store for that reason. Sends the result on when it changes.
 */
final class VariantResults implements ProcessorSupplier<Long, VariantResult, Long, VariantWithProduct> {

    private final StoreBuilder<KeyValueStore<Long, VariantResult>> results;

    VariantResults(String storeName, StoreType storeType, Serde<VariantResult> resultSerde) {
        this.results = storeType.keyValueStore(storeName, IdKeySerde.INSTANCE, resultSerde);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(results);
    }

    @Override
    public Processor<Long, VariantResult, Long, VariantWithProduct> get() {
        return new Processor<>() {
            private ProcessorContext<Long, VariantWithProduct> context;
            private KeyValueStore<Long, VariantResult> latest;

            @Override
            public void init(ProcessorContext<Long, VariantWithProduct> context) {
                this.context = context;
                this.latest = context.getStateStore(results.name());
            }

            @Override
            public void process(Record<Long, VariantResult> record) {
                Long variantId = record.key();
                VariantResult now = record.value();
                if (variantId == null || now == null) {
                    return;
                }
                VariantResult before = latest.get(variantId);
                if (before != null && now.version() < before.version()) {
                    return; // an answer for a version this variant has left behind
                }
                latest.put(variantId, now);
                VariantWithProduct was = before == null ? null : before.result();
                if (!Objects.equals(was, now.result())) {
                    context.forward(record.withValue(now.result()));
                }
            }
        };
    }
}
