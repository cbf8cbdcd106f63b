package io.cdcmarts.processor.join;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;

/**
 * The join's result per variant, keyed by the variant: the result of the newest variant version
 * seen. Results reach it from the joiners of different products (a variant that moved is answered
 * by its new product while its old one may still answer for the version before), so an older
 * version never overwrites a newer one, whatever order the partitions deliver them in. A cleared
 * result keeps its version in the store for that reason. Sends the result on when it changes.
 *
 * <p>A result is sent with the task's stream time, not the time of the change that made it: an
 * answer made by an older product change can come after a newer variant's, and the table after
 * this step would take the older timestamp as an out-of-order update and warn about each one. Stream
 * time never goes back within a task, which owns every change of its variants, so each variant's
 * results reach the table in time order.
 */
final class VariantResults extends OneStoreProcessor<VariantResult, VariantWithProduct, VariantResult> {

    VariantResults(String storeName, StoreType storeType, Serde<VariantResult> resultSerde) {
        super(storeName, storeType, resultSerde);
    }

    @Override
    protected void process(Record<Long, VariantResult> record, KeyValueStore<Long, VariantResult> latest,
                           ProcessorContext<Long, VariantWithProduct> context) {
        VariantResult now = record.value();
        if (now == null) {
            return;
        }
        VariantResult before = latest.get(record.key());
        if (before != null && now.version() < before.version()) {
            return; // an answer for a version this variant has left behind
        }
        latest.put(record.key(), now);
        VariantWithProduct was = before == null ? null : before.result();
        if (!Objects.equals(was, now.result())) {
            context.forward(record.withValue(now.result())
                    .withTimestamp(Math.max(record.timestamp(), context.currentStreamTimeMs())));
        }
    }
}
