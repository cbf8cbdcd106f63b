package io.cdcmarts.processor.config;

import java.time.Duration;

/**
 * How often the processor commits: every {@code fresh} while it handles records written less than
 * {@link #backlogAge()} ago, every {@code catchUp} while it reads older ones (a backlog). Equal
 * intervals commit at one fixed interval.
 *
 * @param fresh   {@code --commit-interval-ms}: how soon a result becomes visible while the processor keeps up
 * @param catchUp {@code --catch-up-commit-interval-ms}: the interval while it reads a backlog
 */
public record CommitIntervals(Duration fresh, Duration catchUp) {

    /**
     * Backlog age in catch-up intervals. A record's age is the whole pipeline's delay up to the hop
     * that reads it (its timestamp is when capture wrote it), and each of up to four hops before a
     * mart may add a commit or two: a pipeline a second or two behind is keeping up and must keep
     * committing at the short interval. One behind by ten long commits gains more from fewer
     * commits than its results lose by waiting one long commit per hop.
     */
    static final int BACKLOG_AGE_IN_CATCH_UP_INTERVALS = 10;

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

    /** The age from which a record is part of a backlog: ten catch-up intervals (10 s by default). */
    public Duration backlogAge() {
        return catchUp.multipliedBy(BACKLOG_AGE_IN_CATCH_UP_INTERVALS);
    }
}
