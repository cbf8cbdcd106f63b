package io.cdcmarts.processor.topology;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessingContext;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What one stream thread has done since it last asked for a commit. {@link FreshCommits} keeps one
 * per stream thread: under exactly-once v2 a commit covers every task of the thread, so one request
 * per thread is enough, and a request from any of its tasks commits what the others did too.
 *
 * <p>A commit is due, at most once per short interval, when the thread has uncommitted results
 * and either some came from a <em>fresh</em> record (written less than the backlog age ago) or the
 * thread has had no record to handle for a short interval: the end of a backlog, whose results
 * would otherwise wait for the next long commit, and with them every later hop.
 *
 * <p>The short interval runs from the end of the last commit, as Kafka Streams' own interval does:
 * measured from the request, a commit that takes most of an interval (a busy machine) would be
 * followed by the next at once, and the thread would commit more often than at the fixed interval,
 * not less. A request's commit runs at the end of the stream thread's current pass over its tasks,
 * and every record a task handles in one pass carries the same system time, taken as the pass
 * reaches the task; so the first record of the requesting task with a later time comes after the
 * commit, and its time is taken as the commit's end. Without one (the task had nothing more to do)
 * the next request waits two short intervals from the last.
 *
 * <p>It also schedules the check that asks for a commit no input asked for: one wall-clock
 * punctuation per task, not per processor (a task has up to 40 processors, and each punctuation
 * makes Kafka Streams shorten its processing loop), on a grid of the short interval so that the
 * tasks of a thread punctuate in the same pass.
 *
 * <p>Not thread-safe, and needs not be: only its own stream thread touches it.
 */
public final class FreshOutput {

    private static final long NEVER = Long.MIN_VALUE;
    private static final ThreadLocal<FreshOutput> THREAD = new ThreadLocal<>();

    private final Object owner;
    private final long commitEveryMs;
    private final long backlogAgeMs;
    /** The check of each task of this thread, with the context of the task instance that scheduled it. */
    private final Map<TaskId, Check> checks = new HashMap<>();
    private boolean uncommitted;
    private boolean fresh;
    private long lastInputMs = NEVER;
    private long lastRequestMs = NEVER;
    /** The task whose context made the last request (at {@code lastRequestMs}); null once its commit's end is known. */
    private TaskId requestedBy;
    private long lastCommitEndMs = NEVER;

    private record Check(ProcessingContext context, Cancellable schedule) {
    }

    private FreshOutput(Object owner, long commitEveryMs, long backlogAgeMs) {
        this.owner = owner;
        this.commitEveryMs = commitEveryMs;
        this.backlogAgeMs = backlogAgeMs;
    }

    /**
     * The calling stream thread's for this topology's {@code owner}, made the first time. A stream
     * thread belongs to one application; the owner only keeps topologies built one after the other
     * on one thread (tests) from sharing what they did.
     */
    static FreshOutput ofThisThread(Object owner, long commitEveryMs, long backlogAgeMs) {
        FreshOutput output = THREAD.get();
        if (output == null || output.owner != owner) {
            output = new FreshOutput(owner, commitEveryMs, backlogAgeMs);
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

    /**
     * Schedules the task's check unless this task instance has one. Called from every wrapped
     * processor's {@code init}; a task made anew (another context) gets a check of its own.
     */
    void checkTask(ProcessingContext context) {
        Check check = checks.get(context.taskId());
        if (check != null && check.context() == context) {
            return;
        }
        // The wall clock, which wall-clock punctuations follow (a context's cached time may be unset in init)
        long now = System.currentTimeMillis();
        Instant onTheGrid = Instant.ofEpochMilli((Math.floorDiv(now, commitEveryMs) + 1) * commitEveryMs);
        Cancellable schedule = context.schedule(onTheGrid, Duration.ofMillis(commitEveryMs), PunctuationType.WALL_CLOCK_TIME,
                at -> maybeCommit(context, at));
        checks.put(context.taskId(), new Check(context, schedule));
    }

    /**
     * Cancels the task's check: its processors are closing (a suspend, a close, before a revive
     * inits them again). Kafka Streams keeps a task's punctuations across a revive, so one left
     * behind would run twice from then on.
     */
    void closeTask(ProcessingContext context) {
        Check check = checks.get(context.taskId());
        if (check != null && check.context() == context) {
            check.schedule().cancel();
            checks.remove(context.taskId());
        }
    }

    /** An input record with this timestamp is being handled. */
    void handled(ProcessingContext context, long timestamp) {
        long now = context.currentSystemTimeMs();
        lastInputMs = now;
        if (requestedBy != null && now > lastRequestMs && requestedBy.equals(context.taskId())) {
            // a later pass over the requesting task: the commit is done (class comment)
            lastCommitEndMs = now;
            requestedBy = null;
        }
        produced(context, timestamp, now);
    }

    private void produced(ProcessingContext context, long timestamp, long now) {
        uncommitted = true;
        if (timestamp >= now - backlogAgeMs) {
            fresh = true;
            maybeCommit(context, now);
        }
    }

    /** The check every short interval: asks for a commit if one is due (class comment). */
    void maybeCommit(ProcessingContext context, long now) {
        boolean idle = lastInputMs == NEVER || now - lastInputMs >= commitEveryMs;
        if (uncommitted && (fresh || idle) && spaced(now)) {
            lastRequestMs = now;
            requestedBy = context.taskId();
            uncommitted = false;
            fresh = false;
            context.commit();
        }
    }

    /** Whether a short interval has passed since the last commit ended (class comment). */
    private boolean spaced(long now) {
        if (lastRequestMs == NEVER) {
            return true;
        }
        if (requestedBy == null) {
            return now - lastCommitEndMs >= commitEveryMs;
        }
        return now - lastRequestMs >= 2 * commitEveryMs;
    }
}
