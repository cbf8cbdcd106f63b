package io.cdcmarts.processor.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.raw.RawRow;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The join's three steps as the tasks of two partitions each, with every hop between them a queue
 * per sending task and receiving task, and a random choice at every step of what happens next: a
 * new source change, or the delivery of one queued record (so each queue stays in order, as a
 * partition does, while the queues interleave in any way). After random variant moves, product
 * changes and deletes, once everything is delivered, every variant's result is the batch inner
 * join of the final rows.
 */
class VariantProductJoinPropertyTest {

    private static final int PARTITIONS = 2;
    private static final int VARIANTS = 12;
    private static final int PRODUCTS = 5;

    @Test
    void everyInterleavingEndsAtTheBatchJoin() {
        for (int seed = 0; seed < 200; seed++) {
            run(new Random(seed), seed);
        }
    }

    private void run(Random random, int seed) {
        List<Harness<Long, RawRow, Long, ProductSide>> routers = new ArrayList<>();
        List<Harness<Long, ProductSide, Long, VariantResult>> joiners = new ArrayList<>();
        List<Harness<Long, VariantResult, Long, VariantWithProduct>> results = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            routers.add(new Harness<>(new VariantRouter("routes", StoreType.IN_MEMORY, VariantProductJoin.PRODUCT_ID)));
            joiners.add(new Harness<>(new ProductVariantJoiner("members", StoreType.IN_MEMORY, VariantProductJoin.MEMBERS)));
            results.add(new Harness<>(new VariantResults("latest", StoreType.IN_MEMORY, VariantProductJoin.RESULT)));
        }
        // toJoiner.get(from * PARTITIONS + to): router task `from` (or the products' source, from = PARTITIONS) to joiner `to`
        List<ArrayDeque<Record<Long, ProductSide>>> toJoiner = queues((PARTITIONS + 1) * PARTITIONS);
        List<ArrayDeque<Record<Long, VariantResult>>> toResults = queues(PARTITIONS * PARTITIONS);
        Map<Long, RawRow> variants = new HashMap<>();
        Map<Long, RawRow> products = new HashMap<>();
        Map<Long, VariantWithProduct> out = new HashMap<>();
        long offset = 0;
        int changes = 0;
        while (changes < 150 || toJoiner.stream().anyMatch(q -> !q.isEmpty()) || toResults.stream().anyMatch(q -> !q.isEmpty())) {
            int dice = random.nextInt(3);
            if (dice == 0 && changes < 150) {
                changes++;
                offset++;
                if (random.nextInt(3) == 0) {
                    long id = 1 + random.nextInt(PRODUCTS);
                    RawRow row = random.nextInt(4) == 0 ? null : row(id, "product_id", null, offset);
                    put(products, id, row);
                    toJoiner.get(PARTITIONS * PARTITIONS + part(id)).add(new Record<>(id, new ProductSide.Product(row), 0L));
                } else {
                    long id = 1 + random.nextInt(VARIANTS);
                    RawRow row = random.nextInt(5) == 0 ? null
                            : row(id, "product_id", random.nextInt(8) == 0 ? null : (long) 1 + random.nextInt(PRODUCTS + 1), offset);
                    put(variants, id, row);
                    int from = part(id);
                    for (Record<Long, ProductSide> r : routers.get(from).processAt(id, row, offset)) {
                        toJoiner.get(from * PARTITIONS + part(r.key())).add(r);
                    }
                }
            } else if (dice == 1) {
                deliverOne(random, toJoiner, to -> to % PARTITIONS, (to, r) -> {
                    for (Record<Long, VariantResult> res : joiners.get(to).process(r.key(), r.value())) {
                        toResults.get(to * PARTITIONS + part(res.key())).add(res);
                    }
                });
            } else {
                deliverOne(random, toResults, to -> to % PARTITIONS, (to, r) -> {
                    for (Record<Long, VariantWithProduct> res : results.get(to).process(r.key(), r.value())) {
                        out.put(res.key(), res.value());
                    }
                });
            }
        }
        Map<Long, VariantWithProduct> batch = new HashMap<>();
        variants.forEach((id, v) -> {
            RawRow product = v.values().path("product_id").isNull() ? null : products.get(v.values().get("product_id").asLong());
            if (product != null) {
                batch.put(id, new VariantWithProduct(v, product));
            }
        });
        out.values().removeIf(Objects::isNull);
        assertThat(out).as("seed %d", seed).isEqualTo(batch);
    }

    /** Delivers the head of one non-empty queue, chosen at random. */
    private static <V> void deliverOne(Random random, List<ArrayDeque<Record<Long, V>>> queues,
                                       IntUnaryOperator receiver,
                                       BiConsumer<Integer, Record<Long, V>> deliver) {
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            if (!queues.get(i).isEmpty()) {
                ready.add(i);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        int q = ready.get(random.nextInt(ready.size()));
        deliver.accept(receiver.applyAsInt(q), queues.get(q).poll());
    }

    private static <V> List<ArrayDeque<Record<Long, V>>> queues(int n) {
        List<ArrayDeque<Record<Long, V>>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayDeque<>());
        }
        return out;
    }

    private static int part(long id) {
        return (int) (id % PARTITIONS);
    }

    private static void put(Map<Long, RawRow> rows, long id, RawRow row) {
        if (row == null) {
            rows.remove(id);
        } else {
            rows.put(id, row);
        }
    }

    private static RawRow row(long id, String column, Long value, long offset) {
        ObjectNode values = Json.MAPPER.createObjectNode().put("id", id);
        if (value != null) {
            values.put(column, value);
        } else {
            values.putNull(column);
        }
        return new RawRow(values, offset, offset, 0, offset);
    }
}
