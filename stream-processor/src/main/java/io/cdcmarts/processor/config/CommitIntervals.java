package io.cdcmarts.processor.config;

import java.time.Duration;

/**
 * How often the processor commits: every {@code fresh} while it handles records written less than
 * {@code catchUp} ago, every {@code catchUp} while it reads older ones (a backlog). Equal intervals
 * commit at one fixed interval.
 *
 * @param fresh   {@code --commit-interval-ms}: how soon a result becomes visible while the processor keeps up
 * @param catchUp {@code --catch-up-commit-interval-ms}: the interval while it reads a backlog, and the age that makes a record part of one
 */
public record CommitIntervals(Duration fresh, Duration catchUp) {

    public CommitIntervals {
        if (fresh.isNegative() || fresh.isZero()) {
            throw new IllegalArgumentException("--commit-interval-ms must be positive, got " + fresh.toMillis());
        }
        if (catchUp.compareTo(fresh) < 0) {
            throw new IllegalArgumentException("--catch-up-commit-interval-ms (" + catchUp.toMillis()
                    + ") must be at least --commit-interval-ms (" + fresh.toMillis() + ")");
        }
    }

    /** Whether the two differ, so that commits follow the records' age. */
    public boolean adaptive() {
        return catchUp.compareTo(fresh) > 0;
    }

    /** Whether a record with this timestamp is fresh at {@code nowMs}: written less than the catch-up interval ago. */
    public boolean isFresh(long timestampMs, long nowMs) {
        return timestampMs >= nowMs - catchUp.toMillis();
    }
}
