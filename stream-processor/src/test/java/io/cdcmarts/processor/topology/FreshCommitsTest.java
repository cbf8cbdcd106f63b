package io.cdcmarts.processor.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
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
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream thread asks for a commit at most once per short interval while it handles fresh records
 * (written less than the backlog age ago), never for older ones, and a check every short interval,
 * one per task, covers fresh results that no request did. Kafka Streams' own interval (the catch-up
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
        // The defaults: 100 ms, and ten catch-up intervals of 1 s
        wrapper.configure(Map.of(FreshCommits.COMMIT_INTERVAL_CONFIG, "100", FreshCommits.BACKLOG_AGE_CONFIG, "10000"));
    }

    @Test
    void aFreshRecordAsksForACommitAtOnceThenAtMostOncePerShortInterval() {
        MockProcessorContext<Long, String> task = task(0);
        Processor<Long, String, Long, String> processor = started(task);

        // A record the pipeline took 5 s to bring here: still keeping up (several hops of a few commits)
        process(processor, task, NOW, NOW - 5_000);
        assertThat(task.committed()).as("first fresh record").isTrue();
        task.resetCommit();

        // the same pass over the task (its records carry the pass's time), before the commit
        process(processor, task, NOW, NOW - 5_000);
        assertThat(task.committed()).as("in the pass that asked").isFalse();
        // the next pass, 40 ms later: the commit took 40 ms
        process(processor, task, NOW + 40, NOW + 30);
        checkAt(task, NOW + 100);
        assertThat(task.committed()).as("60 ms after the commit ended").isFalse();
        checkAt(task, NOW + 140);
        assertThat(task.committed()).as("the check covers what no request did, an interval after the commit").isTrue();
        task.resetCommit();

        checkAt(task, NOW + 300);
        assertThat(task.committed()).as("nothing new since").isFalse();
        assertThat(processed).hasSize(3);
    }

    @Test
    void slowCommitsAreSpacedFromTheirEndNotFromTheRequest() {
        // A busy machine: each commit takes 90 ms of the 100 ms interval
        MockProcessorContext<Long, String> task = task(0);
        Processor<Long, String, Long, String> processor = started(task);
        process(processor, task, NOW, NOW - 10);
        assertThat(task.committed()).isTrue();
        task.resetCommit();

        // the first pass after the commit, and a fresh record 100 ms after the request
        process(processor, task, NOW + 90, NOW + 80);
        process(processor, task, NOW + 150, NOW + 140);
        assertThat(task.committed()).as("60 ms after the commit ended").isFalse();
        process(processor, task, NOW + 190, NOW + 180);
        assertThat(task.committed()).as("an interval after it").isTrue();
    }

    @Test
    void withoutSightOfTheCommitsEndTheNextRequestWaitsTwoIntervals() {
        MockProcessorContext<Long, String> quiet = task(0);
        MockProcessorContext<Long, String> busy = task(1);
        Processor<Long, String, Long, String> asks = started(quiet);
        Processor<Long, String, Long, String> other = started(busy);
        process(asks, quiet, NOW, NOW - 10);
        assertThat(quiet.committed()).isTrue();

        // the task that asked has nothing more; another one's records tell nothing of the commit
        process(other, busy, NOW + 150, NOW + 140);
        assertThat(busy.committed()).isFalse();
        process(other, busy, NOW + 200, NOW + 190);
        assertThat(busy.committed()).as("two intervals after the request").isTrue();
    }

    @Test
    void aBacklogAsksForNoCommitUntilTheThreadRunsOutOfRecords() {
        MockProcessorContext<Long, String> task = task(0);
        Processor<Long, String, Long, String> processor = started(task);

        // Records written longer ago than the backlog age, one after the other: Kafka Streams' own
        // (long) interval commits them
        process(processor, task, NOW, NOW - 10_001);
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
        MockProcessorContext<Long, String> orders = task(0);
        MockProcessorContext<Long, String> marts = task(1);
        Processor<Long, String, Long, String> first = started(orders);
        Processor<Long, String, Long, String> second = started(marts);

        process(first, orders, NOW, NOW - 10);
        process(second, marts, NOW + 20, NOW + 15);
        assertThat(orders.committed()).isTrue();
        assertThat(marts.committed()).as("asked 20 ms after the thread's last request").isFalse();

        orders.resetCommit();
        checkAt(marts, NOW + 100);
        assertThat(marts.committed()).as("the requesting task's next pass not seen: two intervals").isFalse();
        checkAt(marts, NOW + 200);
        assertThat(marts.committed()).isTrue();
        assertThat(orders.committed()).isFalse();
    }

    @Test
    void aPunctuationsFreshOutputIsCoveredLikeAFreshInput() {
        MockProcessorContext<Long, String> task = task(0);
        started(task);

        // What a delta buffer forwards in a punctuation, with the timestamp of its newest input
        task.setCurrentSystemTimeMs(NOW);
        FreshOutput.sent(task, NOW - 200);
        assertThat(task.committed()).isTrue();
    }

    @Test
    void aTaskHasOneCheckWhateverTheNumberOfItsProcessors() {
        MockProcessorContext<Long, String> task = task(0);
        started(task);
        // a second and a third processor of the same task
        wrapper.wrapProcessorSupplier("second", supplier).get().init(task);
        wrapper.wrapProcessorSupplier("third", supplier).get().init(task);

        assertThat(task.scheduledPunctuators()).singleElement()
                .satisfies(p -> assertThat(p.getStartTime().toEpochMilli() % 100).as("on the 100 ms grid").isZero());
    }

    @Test
    void closingATaskCancelsItsCheckAndARevivedTaskSchedulesOneAgain() {
        MockProcessorContext<Long, String> task = task(0);
        Processor<Long, String, Long, String> first = started(task);
        Processor<Long, String, Long, String> second = wrapper.wrapProcessorSupplier("second", supplier).get();
        second.init(task);

        // Kafka Streams closes every processor of a task before it revives it on the same context
        first.close();
        second.close();
        assertThat(task.scheduledPunctuators()).singleElement().satisfies(p -> assertThat(p.cancelled()).isTrue());

        first.init(task);
        second.init(task);
        assertThat(task.scheduledPunctuators()).filteredOn(p -> !p.cancelled()).hasSize(1);
    }

    @Test
    void theWrappedSupplierKeepsItsStores() {
        assertThat(wrapper.wrapProcessorSupplier("test", supplier).stores()).containsExactly(store);
    }

    private static MockProcessorContext<Long, String> task(int partition) {
        return new MockProcessorContext<>(new Properties(), new TaskId(0, partition), null);
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
