package io.cdcmarts.processor.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream thread asks for a commit at most once per short interval while it handles fresh records
 * (written less than the catch-up interval ago), never for older ones, and a check every short
 * interval covers fresh results that no request did. Kafka Streams' own interval (the catch-up
 * one) commits the rest.
 */
class FreshCommitsTest {

    private static final long NOW = 3_600_000L;

    private final FreshCommits wrapper = new FreshCommits();
    private final List<Record<Long, String>> processed = new ArrayList<>();
    private final StoreBuilder<KeyValueStore<Long, String>> store =
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("test-store"), Serdes.Long(), Serdes.String());
    private final ProcessorSupplier<Long, String, Long, String> supplier = new ProcessorSupplier<>() {
        @Override
        public Processor<Long, String, Long, String> get() {
            return record -> processed.add(record);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(store);
        }
    };

    FreshCommitsTest() {
        wrapper.configure(Map.of(FreshCommits.COMMIT_INTERVAL_CONFIG, "100", FreshCommits.CATCH_UP_INTERVAL_CONFIG, "1000"));
    }

    @Test
    void aFreshRecordAsksForACommitAtOnceThenAtMostOncePerShortInterval() {
        MockProcessorContext<Long, String> task = new MockProcessorContext<>();
        Processor<Long, String, Long, String> processor = started(task);

        process(processor, task, NOW, NOW - 300);
        assertThat(task.committed()).as("first fresh record").isTrue();
        task.resetCommit();

        process(processor, task, NOW + 50, NOW + 40);
        assertThat(task.committed()).as("50 ms after a request").isFalse();
        checkAt(task, NOW + 100);
        assertThat(task.committed()).as("the check covers what the request did not").isTrue();
        task.resetCommit();

        checkAt(task, NOW + 200);
        assertThat(task.committed()).as("nothing new since").isFalse();
        assertThat(processed).hasSize(2);
    }

    @Test
    void aBacklogAsksForNoCommitUntilTheThreadRunsOutOfRecords() {
        MockProcessorContext<Long, String> task = new MockProcessorContext<>();
        Processor<Long, String, Long, String> processor = started(task);

        // Records written longer ago than the catch-up interval, one after the other: Kafka Streams'
        // own (long) interval commits them
        process(processor, task, NOW, NOW - 1_001);
        process(processor, task, NOW + 10, 1L);
        checkAt(task, NOW + 100);
        process(processor, task, NOW + 150, 2L);
        checkAt(task, NOW + 200);
        assertThat(task.committed()).as("while records keep coming").isFalse();

        // The backlog ends: a short interval without a record, and what it left is committed
        checkAt(task, NOW + 260);
        assertThat(task.committed()).as("a short interval after the last record").isTrue();
        task.resetCommit();
        checkAt(task, NOW + 400);
        assertThat(task.committed()).as("nothing new since").isFalse();
        assertThat(processed).hasSize(3);
    }

    @Test
    void oneRequestServesEveryTaskOfTheThread() {
        // Two tasks on this thread: under exactly-once v2 a commit covers both
        MockProcessorContext<Long, String> orders = new MockProcessorContext<>();
        MockProcessorContext<Long, String> marts = new MockProcessorContext<>();
        Processor<Long, String, Long, String> first = started(orders);
        Processor<Long, String, Long, String> second = started(marts);

        process(first, orders, NOW, NOW - 10);
        process(second, marts, NOW + 20, NOW + 15);
        assertThat(orders.committed()).isTrue();
        assertThat(marts.committed()).as("asked 20 ms after the thread's last request").isFalse();

        orders.resetCommit();
        checkAt(marts, NOW + 100);
        assertThat(marts.committed()).isTrue();
        assertThat(orders.committed()).isFalse();
    }

    @Test
    void aPunctuationsFreshOutputIsCoveredLikeAFreshInput() {
        MockProcessorContext<Long, String> task = new MockProcessorContext<>();
        started(task);

        // What a delta buffer forwards in a punctuation, with the timestamp of its newest input
        task.setCurrentSystemTimeMs(NOW);
        FreshOutput.sent(task, NOW - 200);
        assertThat(task.committed()).isTrue();
    }

    @Test
    void theWrappedSupplierKeepsItsStores() {
        assertThat(wrapper.wrapProcessorSupplier("test", supplier).stores()).containsExactly(store);
    }

    private Processor<Long, String, Long, String> started(MockProcessorContext<Long, String> context) {
        Processor<Long, String, Long, String> processor = wrapper.wrapProcessorSupplier("test", supplier).get();
        processor.init(context);
        assertThat(context.scheduledPunctuators()).singleElement()
                .satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(100)));
        return processor;
    }

    private static void process(Processor<Long, String, Long, String> processor, MockProcessorContext<Long, String> context,
                                long now, long timestamp) {
        context.setCurrentSystemTimeMs(now);
        processor.process(new Record<>(1L, "row", timestamp));
    }

    private static void checkAt(MockProcessorContext<Long, String> context, long now) {
        context.setCurrentSystemTimeMs(now);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(now);
    }
}
