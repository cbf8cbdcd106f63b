package io.cdcmarts.processor.topology;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Commits often while the processor keeps up, seldom while it reads a backlog.
 *
 * <p>Under exactly-once every commit waits for the broker (the producer's flush, the offsets, a
 * marker on every partition the transaction wrote), and a result is visible downstream only after
 * the commit that wrote it. Fresh marts want a commit every 100 ms; a backlog (a first load, a
 * replay, {@code reprocess}, a restart after a pause) wants few: on a busy 2-core machine ten
 * commits a second were most of what the stream thread did, and 1 s commits read a backlog 2.3-3
 * times faster (stream-processor README, "The commit interval under load"). So Kafka Streams'
 * own {@code commit.interval.ms} is the long, catch-up interval, and every processor of the
 * topology is wrapped so that a stream thread asks for a commit ({@code ProcessingContext.commit()})
 * at most once per short interval while it handles <em>fresh</em> records: records written less
 * than the catch-up interval ago (a record's timestamp is when capture wrote it, or the newest
 * input it was made from). A thread reading older records is behind by more than a long commit;
 * it commits at the long interval until it is within it again, or until it runs out of records
 * ({@link FreshOutput}: the end of a backlog is committed a short interval later, so the next hop
 * does not wait a long one).
 *
 * <p>Every processor is wrapped, the DSL's too, because a sub-topology may have none of ours (a
 * mart's aggregate), and each stream thread must see its own inputs: a request commits the tasks
 * of its own thread only. Each wrapped processor also checks every short interval whether a commit
 * is due that no input asked for (the last records of a burst, what a punctuation sent:
 * {@link FreshOutput#sent}, the end of a backlog).
 *
 * <p>Configured through the topology's properties: {@link #COMMIT_INTERVAL_CONFIG}, the short
 * interval, and {@code commit.interval.ms}, the catch-up interval.
 */
public final class FreshCommits implements ProcessorWrapper {

    /** The short commit interval (ms), while the thread handles fresh records; the processor's {@code --commit-interval-ms}. */
    public static final String COMMIT_INTERVAL_CONFIG = "cdc.fresh.commit.interval.ms";
    /** The catch-up interval (ms): Kafka Streams' own commit interval, and the age under which a record is fresh. */
    public static final String CATCH_UP_INTERVAL_CONFIG = "commit.interval.ms";

    private long commitEveryMs;
    private long freshWithinMs;

    @Override
    public void configure(Map<String, ?> configs) {
        commitEveryMs = millis(configs, COMMIT_INTERVAL_CONFIG);
        freshWithinMs = millis(configs, CATCH_UP_INTERVAL_CONFIG);
    }

    private static long millis(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            throw new IllegalArgumentException(FreshCommits.class.getSimpleName() + " needs " + key);
        }
        return Long.parseLong(value.toString().strip());
    }

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
            String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return ProcessorWrapper.asWrapped(new ProcessorSupplier<KIn, VIn, KOut, VOut>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                return new Wrapped<>(supplier.get());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
            String processorName, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return ProcessorWrapper.asWrappedFixedKey(new FixedKeyProcessorSupplier<KIn, VIn, VOut>() {
            @Override
            public FixedKeyProcessor<KIn, VIn, VOut> get() {
                return new WrappedFixedKey<>(supplier.get());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    private FreshOutput freshOutput(org.apache.kafka.streams.processor.api.ProcessingContext context) {
        FreshOutput fresh = FreshOutput.ofThisThread(this, commitEveryMs, freshWithinMs);
        // Init runs on the task's stream thread; the check catches what a request did not cover.
        context.schedule(Duration.ofMillis(commitEveryMs), PunctuationType.WALL_CLOCK_TIME, now -> fresh.maybeCommit(context, now));
        return fresh;
    }

    private final class Wrapped<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
        private final Processor<KIn, VIn, KOut, VOut> delegate;
        private ProcessorContext<KOut, VOut> context;
        private FreshOutput fresh;

        Wrapped(Processor<KIn, VIn, KOut, VOut> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void init(ProcessorContext<KOut, VOut> context) {
            this.context = context;
            this.fresh = freshOutput(context);
            delegate.init(context);
        }

        @Override
        public void process(Record<KIn, VIn> record) {
            fresh.handled(context, record.timestamp());
            delegate.process(record);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final class WrappedFixedKey<KIn, VIn, VOut> implements FixedKeyProcessor<KIn, VIn, VOut> {
        private final FixedKeyProcessor<KIn, VIn, VOut> delegate;
        private FixedKeyProcessorContext<KIn, VOut> context;
        private FreshOutput fresh;

        WrappedFixedKey(FixedKeyProcessor<KIn, VIn, VOut> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void init(FixedKeyProcessorContext<KIn, VOut> context) {
            this.context = context;
            this.fresh = freshOutput(context);
            delegate.init(context);
        }

        @Override
        public void process(FixedKeyRecord<KIn, VIn> record) {
            fresh.handled(context, record.timestamp());
            delegate.process(record);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
