package io.cdcmarts.processor.join;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.join.ProductMembers.Member;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.raw.RawRow;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashMap;
import java.util.Map;

/**
 * One product's side of the variant-product join, keyed by the product: its raw row and the
 * variants that name it, in a store of its own. A variant's arrival is answered at once with its
 * result (null while the product is unknown: an inner join); a change of the product answers again
 * for every variant it holds, each at the version it holds. The results go out keyed by variant.
 */
final class ProductVariantJoiner extends OneStoreProcessor<ProductSide, VariantResult, ProductMembers> {

    ProductVariantJoiner(String storeName, StoreType storeType, Serde<ProductMembers> membersSerde) {
        super(storeName, storeType, membersSerde);
    }

    @Override
    protected void process(Record<Long, ProductSide> record, KeyValueStore<Long, ProductMembers> states,
                           ProcessorContext<Long, VariantResult> context) {
        ProductSide in = record.value();
        if (in == null) {
            return;
        }
        long productId = record.key();
        ProductMembers before = states.get(productId);
        RawRow product = before == null ? null : before.product();
        Map<Long, Member> variants = before == null ? new HashMap<>() : new HashMap<>(before.variants());
        if (in instanceof ProductSide.Product p) {
            product = p.row();
            for (Map.Entry<Long, Member> v : variants.entrySet()) {
                answer(record, v.getKey(), v.getValue(), product, context);
            }
        } else if (in instanceof ProductSide.Arrive a) {
            Member member = new Member(a.version(), a.variant());
            variants.put(a.variantId(), member);
            answer(record, a.variantId(), member, product, context);
        } else if (in instanceof ProductSide.Leave l) {
            variants.remove(l.variantId());
            if (l.clear()) {
                context.forward(record.withKey(l.variantId()).withValue(new VariantResult(l.version(), null)));
            }
        }
        ProductMembers after = new ProductMembers(product, variants);
        if (after.isEmpty()) {
            if (before != null) {
                states.delete(productId);
            }
        } else {
            states.put(productId, after);
        }
    }

    private static void answer(Record<Long, ProductSide> record, long variantId, Member member, RawRow product,
                               ProcessorContext<Long, VariantResult> context) {
        VariantWithProduct result = product == null ? null : new VariantWithProduct(member.variant(), product);
        context.forward(record.withKey(variantId).withValue(new VariantResult(member.version(), result)));
    }
}
