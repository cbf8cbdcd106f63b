package io.cdcmarts.sink.batch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The polls read and folded but not written yet: the sink's and the rebuild's one batch in hand,
 * with when its first poll was read, for {@link BatchLimits}.
 */
public final class BatchInHand {

    private final BatchBuilder builder;
    private final BatchLimits limits;
    private Batch batch;
    private long firstReadAt;
    private long readingNanos;

    public BatchInHand(BatchBuilder builder, BatchLimits limits) {
        this.builder = builder;
        this.limits = limits;
    }

    /** Decodes a poll and folds it into the batch in hand, starting one when there is none. */
    public void read(ConsumerRecords<byte[], byte[]> records) {
        long start = System.nanoTime();
        List<SourceRecord> list = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            list.add(SourceRecord.of(r));
        }
        if (batch == null) {
            batch = builder.start();
            firstReadAt = start;
            readingNanos = 0;
        }
        builder.add(batch, list);
        readingNanos += System.nanoTime() - start;
    }

    /** The batch in hand, or null when nothing was read since the last {@link #clear()}. */
    public Batch batch() {
        return batch;
    }

    public boolean isEmpty() {
        return batch == null;
    }

    /** Whether to write the batch in hand now ({@link BatchLimits#due}); false when there is none. */
    public boolean due(boolean caughtUp) {
        return batch != null && limits.due(batch, Duration.ofNanos(System.nanoTime() - firstReadAt), caughtUp);
    }

    /** Time spent decoding and folding the polls of the batch in hand. */
    public Duration readingTime() {
        return Duration.ofNanos(readingNanos);
    }

    /** Lets the batch go: written, or dropped to be read again from the stored offsets. */
    public void clear() {
        batch = null;
    }
}
