package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.serde.IdKeySerde;
import io.cdcmarts.processor.serde.JsonSerde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.time.Instant;
import java.util.Set;

/**
 * Follows whether each row of a table fails its checks, from the changes of its validated table:
 * <ul>
 *   <li>a failing row version is dead-lettered once (a repeated event or a re-check that finds
 *       the same failures of the same version is not a new failure; other failures are);</li>
 *   <li>its open failure is published while it fails, with the time the streak began, and
 *       tombstoned when the row passes again, is deleted, or waits for its product.</li>
 * </ul>
 * Only failing rows have state, so the store stays as small as the set of open failures.
 */
public final class QualityTracker implements ProcessorSupplier<Long, Validated, Long, QualityOutput> {

    private final String table;
    private final String rawTopic;
    private final QualityMetrics metrics;
    private final StoreBuilder<KeyValueStore<Long, FailureStreak>> store;

    public QualityTracker(String table, String rawTopic, String storeName, StoreType storeType, QualityMetrics metrics) {
        this.table = table;
        this.rawTopic = rawTopic;
        this.metrics = metrics;
        this.store = storeType.keyValueStore(storeName, IdKeySerde.INSTANCE, JsonSerde.of(FailureStreak.class));
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(store);
    }

    @Override
    public Processor<Long, Validated, Long, QualityOutput> get() {
        return new Tracker();
    }

    private final class Tracker implements Processor<Long, Validated, Long, QualityOutput> {

        private ProcessorContext<Long, QualityOutput> context;
        private KeyValueStore<Long, FailureStreak> streaks;

        @Override
        public void init(ProcessorContext<Long, QualityOutput> context) {
            this.context = context;
            this.streaks = context.getStateStore(store.name());
        }

        @Override
        public void process(Record<Long, Validated> record) {
            long id = record.key();
            Validated validated = record.value();
            FailureStreak streak = streaks.get(id);
            if (validated == null || validated.passed()) {
                if (streak != null) {
                    streaks.delete(id);
                    context.forward(record.withValue(new QualityOutput.OpenFailure(null)));
                }
                return;
            }
            RawRow raw = validated.raw();
            String checks = validated.checkNames();
            if (streak != null && streak.checks().equals(checks) && sameVersion(streak, raw)) {
                return;
            }
            FailureStreak now = new FailureStreak(checks, streak == null ? validated.asOfMs() : streak.sinceMs(),
                    raw.lsn(), raw.partition(), raw.offset());
            streaks.put(id, now);
            Instant detectedAt = Instant.ofEpochMilli(context.currentSystemTimeMs());
            DeadLetter deadLetter = DeadLetters.failedRow(table, rawTopic, id, validated, detectedAt);
            deadLetter.failures().forEach(f -> metrics.failed(table, f.check()));
            metrics.deadLettered(table);
            context.forward(record.withValue(new QualityOutput.DeadLettered(deadLetter)));
            context.forward(record.withValue(new QualityOutput.OpenFailure(DeadLetters.openFailure(table, id, now))));
        }

        /** The same source version: same LSN, or (without LSNs) the same raw message. */
        private static boolean sameVersion(FailureStreak streak, RawRow raw) {
            return raw.lsn() >= 0 ? streak.lsn() == raw.lsn()
                    : streak.partition() == raw.partition() && streak.offset() == raw.offset();
        }
    }
}
