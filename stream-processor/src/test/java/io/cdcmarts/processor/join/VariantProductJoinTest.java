package io.cdcmarts.processor.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.raw.RawRow;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The variant-product join's steps on their own, with the answers of two products' joiners
 * delivered in the order that the foreign-key join got wrong: a variant moves from a product to
 * one that is not known, and the old product answers once more (a rename) after the new one.
 */
class VariantProductJoinTest {

    private static final long VARIANT = 11;

    @Test
    void anAnswerForAVersionTheVariantLeftBehindIsDropped() {
        Harness<Long, ProductSide, Long, VariantResult> joiner = new Harness<>(
                new ProductVariantJoiner("members", StoreType.IN_MEMORY, VariantProductJoin.MEMBERS));
        Harness<Long, VariantResult, Long, VariantWithProduct> results = new Harness<>(
                new VariantResults("latest", StoreType.IN_MEMORY, VariantProductJoin.RESULT));

        // Given variant 11 of product 12, known: its result is the pair
        joiner.process(12L, new ProductSide.Product(product(12, "Cozy Hoodie", 1)));
        List<Record<Long, VariantResult>> atTwelve = joiner.process(12L, new ProductSide.Arrive(VARIANT, 5, variant(12, 5)));
        results.deliver(atTwelve);
        assertThat(results.latestOut().value().product().values().get("name").asText()).isEqualTo("Cozy Hoodie");

        // When it moves to product 10, which is unknown, and product 12 is renamed before it hears the variant left
        List<Record<Long, VariantResult>> atTen = joiner.process(10L, new ProductSide.Arrive(VARIANT, 9, variant(10, 9)));
        List<Record<Long, VariantResult>> renamed = joiner.process(12L, new ProductSide.Product(product(12, "Runner", 2)));
        joiner.process(12L, new ProductSide.Leave(VARIANT, 9, false));
        results.deliver(atTen);
        results.deliver(renamed);

        // Then the result is none (an inner join: product 10 is not known), and the rename of its old product changed nothing
        assertThat(atTen).singleElement().satisfies(r -> assertThat(r.value().result()).isNull());
        assertThat(renamed).singleElement().satisfies(r -> assertThat(r.value().version()).isEqualTo(5));
        assertThat(results.outs()).extracting(Record::value).containsExactly(results.outs().get(0).value(), null);

        // ... and once product 10 is known, the variant has it
        results.deliver(joiner.process(10L, new ProductSide.Product(product(10, "Classic Tee", 3))));
        assertThat(results.latestOut().value().product().values().get("name").asText()).isEqualTo("Classic Tee");
    }

    @Test
    void aResultMadeByAnOlderChangeIsSentAtTheTasksStreamTimeSoTheTableSeesNoOutOfOrderUpdate() {
        Harness<Long, VariantResult, Long, VariantWithProduct> results = new Harness<>(
                new VariantResults("latest", StoreType.IN_MEMORY, VariantProductJoin.RESULT));
        VariantWithProduct pair = new VariantWithProduct(variant(12, 5), product(12, "Cozy Hoodie", 1));
        VariantWithProduct renamed = new VariantWithProduct(variant(12, 5), product(12, "Runner", 2));

        // Given the variant's result, made by its own change at time 100
        results.processAt(VARIANT, new VariantResult(5, pair), 0, 100);
        // When its product's rename, a change of time 90 read later from another partition, answers for the same version
        List<Record<Long, VariantWithProduct>> out = results.processAt(VARIANT, new VariantResult(5, renamed), 1, 90);

        // Then the new result goes on, stamped no earlier than what the table already holds
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(renamed);
            assertThat(r.timestamp()).isEqualTo(100);
        });
    }

    @Test
    void aDeletedVariantIsClearedAndAnOlderAnswerDoesNotBringItBack() {
        Harness<Long, RawRow, Long, ProductSide> router = new Harness<>(
                new VariantRouter("routes", StoreType.IN_MEMORY, VariantProductJoin.PRODUCT_ID));
        Harness<Long, ProductSide, Long, VariantResult> joiner = new Harness<>(
                new ProductVariantJoiner("members", StoreType.IN_MEMORY, VariantProductJoin.MEMBERS));
        Harness<Long, VariantResult, Long, VariantWithProduct> results = new Harness<>(
                new VariantResults("latest", StoreType.IN_MEMORY, VariantProductJoin.RESULT));
        joiner.process(12L, new ProductSide.Product(product(12, "Cap", 1)));

        // Given variant 11 routed to product 12 and joined there
        List<Record<Long, ProductSide>> arrive = router.processAt(VARIANT, variant(12, 5), 5);
        assertThat(arrive).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo(12L));
        List<Record<Long, VariantResult>> joined = joiner.process(12L, arrive.get(0).value());

        // When it is deleted: the router tells product 12 it left and has its result cleared
        List<Record<Long, ProductSide>> leave = router.processAt(VARIANT, null, 8);
        assertThat(leave).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(12L);
            assertThat(r.value()).isEqualTo(new ProductSide.Leave(VARIANT, 8, true));
        });
        List<Record<Long, VariantResult>> cleared = joiner.process(12L, leave.get(0).value());

        // Then, even with the clear delivered before the join's first answer, the variant ends with none
        results.deliver(cleared);
        results.deliver(joined);
        assertThat(results.outs()).isEmpty();
        assertThat(joiner.process(12L, new ProductSide.Product(product(12, "Cap 2", 2)))).as("product 12 forgot it").isEmpty();
    }

    private static RawRow variant(long productId, long offset) {
        ObjectNode values = Json.MAPPER.createObjectNode().put("id", VARIANT).put("product_id", productId);
        return new RawRow(values, offset, offset, 0, offset);
    }

    private static RawRow product(long id, String name, long offset) {
        ObjectNode values = Json.MAPPER.createObjectNode().put("id", id).put("name", name);
        return new RawRow(values, offset, offset, 0, offset);
    }
}
