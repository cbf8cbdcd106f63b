package io.cdcmarts.processor.join;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.raw.Rows;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sends each raw variant change to the joiner of the product it names, keyed by that product: the
 * variant arrives there with its row and version (its raw offset, which grows with every change of
 * the variant, as all of them are in one partition). It remembers the product it sent the variant
 * to last, so a move or a delete tells that product the variant left, from this store and nothing
 * else.
 */
final class VariantRouter extends OneStoreProcessor<RawRow, ProductSide, Long> {

    VariantRouter(String storeName, StoreType storeType, Serde<Long> productIdSerde) {
        super(storeName, storeType, productIdSerde);
    }

    @Override
    protected void process(Record<Long, RawRow> record, KeyValueStore<Long, Long> sentTo, ProcessorContext<Long, ProductSide> context) {
        long variantId = record.key();
        RawRow variant = record.value();
        long version = version(context, variant);
        Long before = sentTo.get(variantId);
        Long after = variant == null ? null : Rows.longOrNull(variant.values(), "product_id");
        if (after != null) {
            sentTo.put(variantId, after);
            context.forward(record.withKey(after).withValue(new ProductSide.Arrive(variantId, version, variant)));
        } else if (before != null) {
            sentTo.delete(variantId);
        }
        if (before != null && !before.equals(after)) {
            context.forward(record.withKey(before).withValue(new ProductSide.Leave(variantId, version, after == null)));
        }
    }

    /** The raw record's offset: a delete has no row to carry it. */
    private static long version(ProcessorContext<Long, ProductSide> context, RawRow variant) {
        return context.recordMetadata().map(RecordMetadata::offset).orElseGet(() -> {
            if (variant == null) {
                throw new IllegalStateException("a variant delete without its raw record's offset");
            }
            return variant.offset();
        });
    }
}
