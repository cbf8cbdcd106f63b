package io.cdcmarts.sink.batch;

import java.util.OptionalLong;

/**
 * Whether the sink is far enough behind for folding polls to pay ({@link BatchLimits}): when more
 * messages wait in its partitions, as of their last fetch, than one poll returns. Below that, the
 * next poll would take all of them anyway, so holding a poll back saves at most one DuckDB
 * transaction and delays every row in it by a poll or more. A sink that keeps up with a steady
 * stream therefore writes every poll at once: a few messages are nearly always waiting somewhere
 * (and a transactional topic shows one, its commit marker, after every transaction), so "no message
 * waiting anywhere" would fold, and hold rows back for up to {@code --max-batch-wait}, at any rate.
 * A partition whose lag the consumer does not know yet counts as none: the batch is written rather
 * than held on a guess.
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
