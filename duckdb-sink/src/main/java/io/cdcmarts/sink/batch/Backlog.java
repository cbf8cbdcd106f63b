package io.cdcmarts.sink.batch;

import java.util.OptionalLong;

/**
 * Whether the sink is far enough behind for folding polls to pay ({@link BatchLimits}): when more
 * messages wait in its partitions, as of their last fetch, than one poll returns. Below that, the
 * next poll would take all of them anyway, so holding a poll back saves at most one DuckDB
 * transaction and delays every row in it by a poll or more. A sink that keeps up with a steady
 * stream therefore writes every poll at once, also when a fetch left a few messages behind (a
 * poll's or a fetch's size cap, many partitions): "no message waiting anywhere" held such a batch
 * open, and under a steady stream until {@code --max-batch-wait}. A partition whose lag the
 * consumer does not know yet counts as none: the batch is written rather than held on a guess.
 */
public final class Backlog {

    private long waiting;

    /** Adds one partition's lag as the consumer knows it ({@code KafkaConsumer#currentLag}). */
    public Backlog add(OptionalLong lag) {
        if (lag.isPresent() && lag.getAsLong() > 0) {
            waiting += lag.getAsLong();
        }
        return this;
    }

    /** Messages known to wait. */
    public long waiting() {
        return waiting;
    }

    /** Whether more messages wait than a poll of {@code maxPollRecords} returns: then polls are folded. */
    public boolean behind(int maxPollRecords) {
        return waiting > maxPollRecords;
    }
}
