package io.cdcmarts.processor.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

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
 * than the backlog age ago. A record's timestamp is when capture wrote it (or the newest input it
 * was made from), so its age is the whole pipeline's delay up to this hop, not this hop's: the
 * backlog age is ten catch-up intervals ({@link io.cdcmarts.processor.config.CommitIntervals}), so
 * that a pipeline a few hops and a second or two behind still commits at the short interval, and
 * only one behind by many long commits trades them for throughput. It commits at the long interval
 * until it is within the age again, or until it runs out of records ({@link FreshOutput}: the end of
 * a backlog is committed a short interval later, so the next hop does not wait a long one).
 *
 * <p>Every processor is wrapped, the DSL's too, because a sub-topology may have none of ours (a
 * mart's aggregate), and each stream thread must see its own inputs: a request commits the tasks
 * of its own thread only. Each task also checks every short interval whether a commit is due that
 * no input asked for (the last records of a burst, what a punctuation sent:
 * {@link FreshOutput#sent}, the end of a backlog). The wrapper adds no node: names, stores and
 * topics are those of the unwrapped topology.
 *
 * <p>Configured through the topology's properties: {@link #COMMIT_INTERVAL_CONFIG}, the short
 * interval, and {@link #BACKLOG_AGE_CONFIG}.
 */
public final class FreshCommits implements ProcessorWrapper {

    /** The short commit interval (ms), while the thread handles fresh records; the processor's {@code --commit-interval-ms}. */
    public static final String COMMIT_INTERVAL_CONFIG = "cdc.fresh.commit.interval.ms";
    /** The age (ms) from which a record is part of a backlog. */
    public static final String BACKLOG_AGE_CONFIG = "cdc.fresh.backlog.age.ms";

    private long commitEveryMs;
    private long backlogAgeMs;

    @Override
    public void configure(Map<String, ?> configs) {
        commitEveryMs = millis(configs, COMMIT_INTERVAL_CONFIG);
        backlogAgeMs = millis(configs, BACKLOG_AGE_CONFIG);
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

    /** What a wrapped processor adds to its delegate, whichever kind it is. */
    private final class Hook {
        private ProcessingContext context;
        private FreshOutput fresh;

        void init(ProcessingContext context) {
            // Init runs on the task's stream thread
            this.context = context;
            this.fresh = FreshOutput.ofThisThread(FreshCommits.this, commitEveryMs, backlogAgeMs);
            fresh.checkTask(context);
        }

        void handling(long timestamp) {
            fresh.handled(context, timestamp);
        }

        void close() {
            if (fresh != null) {
                fresh.closeTask(context);
            }
        }
    }

    private final class Wrapped<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
        private final Processor<KIn, VIn, KOut, VOut> delegate;
        private final Hook hook = new Hook();

        Wrapped(Processor<KIn, VIn, KOut, VOut> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void init(ProcessorContext<KOut, VOut> context) {
            hook.init(context);
            delegate.init(context);
        }

        @Override
        public void process(Record<KIn, VIn> record) {
            hook.handling(record.timestamp());
            delegate.process(record);
        }

        @Override
        public void close() {
            hook.close();
            delegate.close();
        }
    }

    private final class WrappedFixedKey<KIn, VIn, VOut> implements FixedKeyProcessor<KIn, VIn, VOut> {
        private final FixedKeyProcessor<KIn, VIn, VOut> delegate;
        private final Hook hook = new Hook();

        WrappedFixedKey(FixedKeyProcessor<KIn, VIn, VOut> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void init(FixedKeyProcessorContext<KIn, VOut> context) {
            hook.init(context);
            delegate.init(context);
        }

        @Override
        public void process(FixedKeyRecord<KIn, VIn> record) {
            hook.handling(record.timestamp());
            delegate.process(record);
        }

        @Override
        public void close() {
            hook.close();
            delegate.close();
        }
    }
}
