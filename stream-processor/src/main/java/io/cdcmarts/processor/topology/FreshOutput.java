package io.cdcmarts.processor.topology;

import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * What one stream thread has done since it last asked for a commit. {@link FreshCommits} keeps one
 * per stream thread: under exactly-once v2 a commit covers every task of the thread, so one request
 * per thread is enough, and a request from any of its tasks commits what the others did too.
 *
 * <p>A commit is due, at most once per short interval, when the thread has uncommitted results
 * and either some came from a <em>fresh</em> record (written less than the catch-up interval ago)
 * or the thread has had no record to handle for a short interval: the end of a backlog, whose
 * results would otherwise wait for the next long commit, and with them every later hop.
 *
 * <p>Not thread-safe, and needs not be: only its own stream thread touches it.
 */
public final class FreshOutput {

    private static final long NEVER = Long.MIN_VALUE;
    private static final ThreadLocal<FreshOutput> THREAD = new ThreadLocal<>();

    private final Object owner;
    private final long commitEveryMs;
    private final long freshWithinMs;
    private boolean uncommitted;
    private boolean fresh;
    private long lastInputMs = NEVER;
    private long lastRequestMs = NEVER;

    private FreshOutput(Object owner, long commitEveryMs, long freshWithinMs) {
        this.owner = owner;
        this.commitEveryMs = commitEveryMs;
        this.freshWithinMs = freshWithinMs;
    }

    /**
     * The calling stream thread's for this topology's {@code owner}, made the first time. A stream
     * thread belongs to one application; the owner only keeps topologies built one after the other
     * on one thread (tests) from sharing what they did.
     */
    static FreshOutput ofThisThread(Object owner, long commitEveryMs, long freshWithinMs) {
        FreshOutput output = THREAD.get();
        if (output == null || output.owner != owner) {
            output = new FreshOutput(owner, commitEveryMs, freshWithinMs);
            THREAD.set(output);
        }
        return output;
    }

    /**
     * For a processor that sends records outside {@code process} (a punctuation): its output with
     * this timestamp waits for a commit like the results of an input of that age. Does nothing on a
     * thread where no {@link FreshCommits} runs (the topology was built without it).
     */
    public static void sent(ProcessingContext context, long timestamp) {
        FreshOutput output = THREAD.get();
        if (output != null) {
            output.produced(context, timestamp, context.currentSystemTimeMs());
        }
    }

    /** An input record with this timestamp is being handled. */
    void handled(ProcessingContext context, long timestamp) {
        long now = context.currentSystemTimeMs();
        lastInputMs = now;
        produced(context, timestamp, now);
    }

    private void produced(ProcessingContext context, long timestamp, long now) {
        uncommitted = true;
        if (timestamp >= now - freshWithinMs) {
            fresh = true;
            maybeCommit(context, now);
        }
    }

    /** The check every short interval: asks for a commit if one is due (class comment). */
    void maybeCommit(ProcessingContext context, long now) {
        boolean idle = lastInputMs == NEVER || now - lastInputMs >= commitEveryMs;
        if (uncommitted && (fresh || idle) && (lastRequestMs == NEVER || now - lastRequestMs >= commitEveryMs)) {
            lastRequestMs = now;
            uncommitted = false;
            fresh = false;
            context.commit();
        }
    }
}
