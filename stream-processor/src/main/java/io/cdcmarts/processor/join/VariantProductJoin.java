package io.cdcmarts.processor.join;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.join.ProductMembers.Member;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.serde.Binary;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.cdcmarts.processor.raw.RawRowBinary.readNullable;
import static io.cdcmarts.processor.raw.RawRowBinary.writeNullable;

/**
 * The raw variants joined with their raw product (an inner join on {@code product_id}), without
 * Kafka Streams' foreign-key join. That join answers a variant's change through a subscription and
 * a response topic and drops a response whose left value it no longer holds, so what comes out
 * depends on when each side is read; after a {@code kill -9} under load a variant's result stopped
 * following its changes (issue #8, {@code ProcessorKillIT}). Here every step keeps what it needs in
 * its own store and the result carries the variant's version:
 * <pre>
 * raw variants ─ VariantRouter ─(by product)─┐
 * raw products ──────────────────────────────┴─ ProductVariantJoiner ─(by variant)─ VariantResults ─► table
 * </pre>
 * A variant that moves is answered by its new product; its old product only forgets it (or, when
 * it names no product any more, clears its result). {@link VariantResults} keeps the newest version
 * per variant, so no order of the two partitions' answers can leave an old result standing.
 */
public final class VariantProductJoin {

    private static final Serde<Long> ID = IdKeySerde.INSTANCE;
    static final Serde<Long> PRODUCT_ID = Binary.serde("a variant's product", 1,
            (out, id) -> out.varLong(id), Binary.In::varLong);
    /** The join's result per variant: a variant with its product. */
    public static final Serde<VariantWithProduct> VARIANT_WITH_PRODUCT = Binary.serde("a variant with its product", 1,
            VariantProductJoin::writePair, VariantProductJoin::readPair);
    private static final Serde<ProductSide> PRODUCT_SIDE = Binary.serde("a product's join input", 1,
            VariantProductJoin::writeSide, VariantProductJoin::readSide);
    static final Serde<VariantResult> RESULT = Binary.serde("a variant's join result", 1,
            (out, r) -> {
                out.varLong(r.version()).bool(r.result() != null);
                if (r.result() != null) {
                    writePair(out, r.result());
                }
            },
            in -> {
                long version = in.varLong();
                return new VariantResult(version, in.bool() ? readPair(in) : null);
            });
    static final Serde<ProductMembers> MEMBERS = Binary.serde("a product's variants", 1,
            (out, m) -> {
                writeNullable(out, m.product());
                out.varLong(m.variants().size());
                m.variants().forEach((id, v) -> {
                    out.varLong(id).varLong(v.version());
                    writeNullable(out, v.variant());
                });
            },
            in -> {
                RawRow product = readNullable(in);
                long n = in.varLong();
                Map<Long, Member> variants = new LinkedHashMap<>();
                for (long i = 0; i < n; i++) {
                    long id = in.varLong();
                    variants.put(id, new Member(in.varLong(), readNullable(in)));
                }
                return new ProductMembers(product, variants);
            });

    private VariantProductJoin() {
    }

    /** Every raw variant that names a known product, with that product's raw row, per variant id. */
    public static KTable<Long, VariantWithProduct> join(KTable<Long, RawRow> rawVariants, KTable<Long, RawRow> rawProducts,
                                                        StoreType storeType) {
        KStream<Long, ProductSide> fromVariants = rawVariants.toStream(Named.as("variant-join-changes"))
                .process(new VariantRouter("variant-join-routes", storeType, PRODUCT_ID), Named.as("variant-join-router"));
        KStream<Long, ProductSide> fromProducts = rawProducts.toStream(Named.as("product-join-changes"))
                .mapValues(row -> (ProductSide) new ProductSide.Product(row), Named.as("product-join-inputs"));
        return fromVariants.merge(fromProducts, Named.as("variant-join-inputs"))
                .repartition(Repartitioned.<Long, ProductSide>as("variant-join-by-product")
                        .withKeySerde(ID).withValueSerde(PRODUCT_SIDE))
                .process(new ProductVariantJoiner("variant-join-products", storeType, MEMBERS), Named.as("variant-join-joiner"))
                .repartition(Repartitioned.<Long, VariantResult>as("variant-join-results")
                        .withKeySerde(ID).withValueSerde(RESULT))
                .process(new VariantResults("variant-join-latest", storeType, RESULT), Named.as("variant-join-latest"))
                // Uncached: each result must reach the variant checks (one dead letter per failing version).
                .toTable(Named.as("variant-join-table"),
                        Materialized.<Long, VariantWithProduct, KeyValueStore<Bytes, byte[]>>as("product-variants-with-product")
                                .withKeySerde(ID).withValueSerde(VARIANT_WITH_PRODUCT).withCachingDisabled());
    }

    private static void writePair(Binary.Out out, VariantWithProduct vp) {
        writeNullable(out, vp.variant());
        writeNullable(out, vp.product());
    }

    private static VariantWithProduct readPair(Binary.In in) {
        return new VariantWithProduct(readNullable(in), readNullable(in));
    }

    private static void writeSide(Binary.Out out, ProductSide side) {
        if (side instanceof ProductSide.Product p) {
            out.varLong(0);
            writeNullable(out, p.row());
        } else if (side instanceof ProductSide.Arrive a) {
            out.varLong(1).varLong(a.variantId()).varLong(a.version());
            writeNullable(out, a.variant());
        } else if (side instanceof ProductSide.Leave l) {
            out.varLong(2).varLong(l.variantId()).varLong(l.version()).bool(l.clear());
        }
    }

    private static ProductSide readSide(Binary.In in) {
        long kind = in.varLong();
        return switch ((int) kind) {
            case 0 -> new ProductSide.Product(readNullable(in));
            case 1 -> new ProductSide.Arrive(in.varLong(), in.varLong(), readNullable(in));
            case 2 -> new ProductSide.Leave(in.varLong(), in.varLong(), in.bool());
            default -> throw new IllegalArgumentException("a product's join input of unknown kind " + kind);
        };
    }
}
