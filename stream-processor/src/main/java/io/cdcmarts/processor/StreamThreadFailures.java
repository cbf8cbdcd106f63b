package io.cdcmarts.processor;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What to do when a stream thread dies: replace it when the error is one a broker bounce causes
 * (a transaction the broker lost, a request that timed out, a fenced producer: the next thread
 * starts a new transaction from the last committed offsets, and exactly-once holds), at most
 * {@link #MAX_REPLACEMENTS} times in {@link #WINDOW}; stop the client otherwise, so the service
 * exits non-zero and its supervisor restarts it. An error of the topology itself would only fail
 * again on the same record, and replacing threads without bound would hide it.
 */
final class StreamThreadFailures {

    /** Replacements allowed within {@link #WINDOW} before a transient error counts as fatal too. */
    static final int MAX_REPLACEMENTS = 10;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();

    StreamThreadFailures(Clock clock) {
        this.clock = clock;
    }

    /** REPLACE_THREAD for a transient error within the budget, else SHUTDOWN_CLIENT. Thread-safe. */
    synchronized StreamThreadExceptionResponse decide(Throwable error) {
        if (!isTransient(error)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Instant now = clock.instant();
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(WINDOW))) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Replacements counted in the current window (for the log line). */
    synchronized int recent() {
        return replacements.size();
    }

    /** Whether anything in the cause chain is an error a broker away or back again causes. */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof InvalidTxnStateException
                    || t instanceof InvalidProducerEpochException || t instanceof ProducerFencedException
                    || t instanceof TransactionAbortedException || t instanceof TaskMigratedException
                    || t instanceof TaskCorruptedException) {
                return true;
            }
        }
        return false;
    }
}
