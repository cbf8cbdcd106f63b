package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer's sums in memory follow its store. Kafka Streams revives a corrupted task (an aborted
 * transaction under exactly-once) by calling {@code init} again on the same processor, with the
 * store put back to the last commit; the records since are then processed again, so whatever the
 * aborted ones had summed must be gone.
 */
class DeltaBufferTest {

    private static final MartSerdes SERDES = new MartSerdes();

    private final DeltaBuffer<String, SalesSums, String, SalesSums> buffer =
            DeltaBuffer.keyed("test-pending-deltas", StoreType.IN_MEMORY, SERDES.textKey(), SERDES.salesSums(), Duration.ofMillis(100));

    @Test
    void forwardsEachKeysSumOncePerInterval() {
        Processor<String, SalesSums, String, SalesSums> processor = buffer.get();
        MockProcessorContext<String, SalesSums> context = started(processor, Map.of());

        processor.process(new Record<>("jackets", sums(1, "10.00"), 1L));
        processor.process(new Record<>("jackets", sums(2, "5.50"), 2L));
        processor.process(new Record<>("shoes", sums(1, "3.00"), 3L));
        processor.process(new Record<>("shoes", sums(-1, "-3.00"), 4L));
        punctuate(context);

        assertThat(forwarded(context)).containsExactlyInAnyOrderEntriesOf(Map.of("jackets", new SalesSums(2, 3, new BigDecimal("15.50"), BigDecimal.ZERO)));
        context.resetForwards();
        punctuate(context);
        assertThat(forwarded(context)).isEmpty();
    }

    @Test
    void aTaskRevivedAfterAnAbortForgetsTheSumsOfTheAbortedRecords() {
        Processor<String, SalesSums, String, SalesSums> processor = buffer.get();
        MockProcessorContext<String, SalesSums> aborted = started(processor, Map.of());
        // Given sums of records whose transaction is then aborted (never committed)
        processor.process(new Record<>("jackets", sums(1, "10.00"), 1L));
        processor.process(new Record<>("shoes", sums(1, "3.00"), 2L));

        // When Kafka Streams revives the task on the same processor, its store back at the last
        // commit (which held one pending sum), and the aborted record is processed again
        MockProcessorContext<String, SalesSums> revived = started(processor, Map.of("coats", sums(1, "7.00")));
        processor.process(new Record<>("jackets", sums(1, "10.00"), 1L));
        punctuate(revived);

        // Then what it forwards is the committed sum plus the reprocessed record, nothing twice
        assertThat(forwarded(revived)).containsExactlyInAnyOrderEntriesOf(
                Map.of("coats", sums(1, "7.00"), "jackets", sums(1, "10.00")));
        // and the forward the first init scheduled is gone: Kafka Streams keeps a task's
        // punctuations across a revive, so it would otherwise forward on two schedules from then on
        assertThat(aborted.scheduledPunctuators()).singleElement().satisfies(p -> assertThat(p.cancelled()).isTrue());
    }

    @Test
    void closingCancelsTheForwards() {
        Processor<String, SalesSums, String, SalesSums> processor = buffer.get();
        MockProcessorContext<String, SalesSums> context = started(processor, Map.of());

        processor.close();

        assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> assertThat(p.cancelled()).isTrue());
    }

    @Test
    void aRoutedBufferSumsItsOwnKindOfShareByItsTargetAndIgnoresTheRest() {
        // Given the buffer of product differences among a ledger's shares (keyed by the source variant)
        DeltaBuffer<Long, Share, Long, SalesSums> products = new DeltaBuffer<>("product-pending-deltas", StoreType.IN_MEMORY,
                IdKeySerde.INSTANCE, SERDES.salesSums(), Duration.ofMillis(100),
                (variant, share) -> share instanceof Share.ToProduct p ? KeyValue.pair(p.productId(), p.delta()) : null);
        Processor<Long, Share, Long, SalesSums> processor = products.get();
        MockProcessorContext<Long, SalesSums> context = started(products, processor, Map.of());

        // When shares of two products and of other kinds arrive
        processor.process(new Record<>(100L, new Share.ToProduct(7L, sums(2, "20.00")), 1L));
        processor.process(new Record<>(101L, new Share.ToProduct(7L, sums(1, "4.00")), 2L));
        processor.process(new Record<>(102L, new Share.ToProduct(8L, sums(1, "1.00")), 3L));
        processor.process(new Record<>(102L, new Share.ToCategory("shoes", sums(5, "50.00")), 4L));
        processor.process(new Record<>(103L, (Share) null, 5L));
        punctuate(context);

        // Then each product's sum is forwarded once, keyed by the product, and nothing else
        assertThat(forwarded(context)).containsExactlyInAnyOrderEntriesOf(Map.of(7L, new SalesSums(2, 3, new BigDecimal("24.00"), BigDecimal.ZERO),
                        8L, sums(1, "1.00")));
    }

    @Test
    void aPassingThroughBufferForwardsEachDifferenceAtOnceWritesNothingAndForwardsWhatASummingOneLeft() {
        // Given a passing-through buffer whose store holds a sum a summing version left unforwarded
        DeltaBuffer<String, SalesSums, String, SalesSums> passing = DeltaBuffer.passingThrough("test-pending-deltas",
                StoreType.IN_MEMORY, SERDES.textKey(), SERDES.salesSums(), Duration.ofMillis(100), KeyValue::pair);
        Processor<String, SalesSums, String, SalesSums> processor = passing.get();
        MockProcessorContext<String, SalesSums> context = started(passing, processor, Map.of("coats", sums(1, "7.00")));
        KeyValueStore<String, SalesSums> store = context.getStateStore("test-pending-deltas");

        // When two differences of one key arrive
        processor.process(new Record<>("jackets", sums(1, "10.00"), 1L));
        processor.process(new Record<>("jackets", sums(2, "5.50"), 2L));

        // Then each is forwarded as it came, with its own timestamp, and the store is untouched
        assertThat(context.forwarded()).extracting(f -> f.record().key(), f -> f.record().value(), f -> f.record().timestamp())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("jackets", sums(1, "10.00"), 1L),
                        org.assertj.core.groups.Tuple.tuple("jackets", sums(2, "5.50"), 2L));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        // and the leftover goes at the first interval, once, and leaves the store
        context.resetForwards();
        punctuate(context);
        assertThat(forwarded(context)).containsExactlyEntriesOf(Map.of("coats", sums(1, "7.00")));
        // at the wall clock's time (the earlier run's record times are not kept), not at 0
        assertThat(context.forwarded()).singleElement().satisfies(f -> assertThat(f.record().timestamp()).isEqualTo(50_000L));
        assertThat(store.get("coats")).isNull();
        // and the schedule ends with it
        assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> assertThat(p.cancelled()).isTrue());
    }

    @Test
    void aPassingThroughBufferWithNothingLeftSchedulesNothing() {
        DeltaBuffer<String, SalesSums, String, SalesSums> passing = DeltaBuffer.passingThrough("test-pending-deltas",
                StoreType.IN_MEMORY, SERDES.textKey(), SERDES.salesSums(), Duration.ofMillis(100), KeyValue::pair);
        MockProcessorContext<String, SalesSums> context = started(passing, passing.get(), Map.of());

        assertThat(context.scheduledPunctuators()).isEmpty();
    }

    /** Initialises {@code processor} on a new context whose store holds {@code committed}. */
    private MockProcessorContext<String, SalesSums> started(Processor<String, SalesSums, String, SalesSums> processor,
                                                            Map<String, SalesSums> committed) {
        return started(buffer, processor, committed);
    }

    private static <KIn, VIn, K> MockProcessorContext<K, SalesSums> started(DeltaBuffer<KIn, VIn, K, SalesSums> buffer,
                                                                          Processor<KIn, VIn, K, SalesSums> processor,
                                                                          Map<K, SalesSums> committed) {
        MockProcessorContext<K, SalesSums> context = new MockProcessorContext<>();
        StoreBuilder<?> builder = buffer.stores().iterator().next();
        @SuppressWarnings("unchecked")
        KeyValueStore<K, SalesSums> store = (KeyValueStore<K, SalesSums>) builder
                .withCachingDisabled().withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        committed.forEach(store::put);
        context.addStateStore(store);
        processor.init(context);
        return context;
    }

    private static void punctuate(MockProcessorContext<?, ?> context) {
        List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        assertThat(punctuators).hasSize(1);
        context.setCurrentSystemTimeMs(50_000L);
        punctuators.get(0).getPunctuator().punctuate(50_000L);
    }

    private static <K> Map<K, SalesSums> forwarded(MockProcessorContext<K, SalesSums> context) {
        Map<K, SalesSums> sums = new HashMap<>();
        for (CapturedForward<? extends K, ? extends SalesSums> f : context.forwarded()) {
            assertThat(sums.put(f.record().key(), f.record().value())).as("forwarded twice: %s", f.record().key()).isNull();
        }
        return sums;
    }

    private static SalesSums sums(long units, String revenue) {
        return new SalesSums(Long.signum(units), units, new BigDecimal(revenue), BigDecimal.ZERO);
    }
}
