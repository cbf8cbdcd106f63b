package io.cdcmarts.sink.replica;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the read-only replica of the sink's file ({@code --replica}) fresh: every
 * {@code --replica-every}, the first time at start. The sink's poll loop calls
 * {@link #refreshIfDue()} between two batches; only the file copy happens on that thread (the
 * sink writes nothing meanwhile), the rest ({@link ReplicaSnapshot#publish}) on a thread of its
 * own while the sink goes on. A refresh that fails is logged once, with the reason, and retried
 * (after {@link #RETRY}, or sooner when {@code --replica-every} is shorter); the sink is never
 * stopped by it.
 */
public final class ReplicaRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRefresher.class);
    /** How soon a failed refresh is tried again. */
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ReplicaSnapshot snapshot;
    private final Duration every;
    private final Clock clock;
    private final Timer copyTimer;
    private final Timer refreshTimer;
    private final ExecutorService publisher;

    private volatile Instant nextDue = Instant.MIN;
    private Future<?> publishing;
    /** Failures since the last refresh that worked: only the first is logged as a warning. */
    private volatile int failures;
    private volatile Instant lastRefresh;
    private volatile long lastBytes = -1;

    /**
     * @param source  the sink's DuckDB file
     * @param replica where the replica is published ({@code --replica})
     * @param every   how often ({@code --replica-every})
     */
    public ReplicaRefresher(Path source, Path replica, Duration every, Clock clock, MeterRegistry registry) {
        this.snapshot = new ReplicaSnapshot(source, replica);
        this.every = every;
        this.clock = clock;
        this.copyTimer = Timer.builder("cdc.sink.replica.copy.duration")
                .description("Time the sink's writes wait for a replica refresh's file copy").register(registry);
        this.refreshTimer = Timer.builder("cdc.sink.replica.refresh.duration")
                .description("Time from a replica refresh's copy to the new file swapped in").register(registry);
        Gauge.builder("cdc.sink.replica.refreshed.seconds", this, r -> r.lastRefresh == null ? Double.NaN : r.lastRefresh.toEpochMilli() / 1000.0)
                .description("When the replica's state was taken, epoch seconds").register(registry);
        Gauge.builder("cdc.sink.replica.bytes", this, r -> r.lastBytes < 0 ? Double.NaN : r.lastBytes)
                .description("Size of the replica file").register(registry);
        this.publisher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cdc-sink-replica");
            t.setDaemon(true);
            return t;
        });
    }

    /** When the state of the newest replica was taken, or null before the first. */
    public Instant lastRefresh() {
        return lastRefresh;
    }

    /**
     * Takes a new replica when one is due and the previous one is published. Only while the sink
     * has no DuckDB transaction open (between batches). Never throws: a failure is logged and retried.
     */
    public void refreshIfDue() {
        Instant now = clock.instant();
        if ((publishing != null && !publishing.isDone()) || now.isBefore(nextDue)) {
            return;
        }
        long start = System.nanoTime();
        try {
            snapshot.copy();
        } catch (Exception e) {
            failed(now, e);
            return;
        }
        copyTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        nextDue = now.plus(every);
        publishing = publisher.submit(() -> publish(now, start));
    }

    private void publish(Instant takenAt, long start) {
        try {
            long bytes = snapshot.publish(takenAt);
            refreshTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            lastBytes = bytes;
            lastRefresh = takenAt;
            if (failures > 0) {
                LOG.info("Replica {} refreshed again after {} failed attempts", snapshot.replica(), failures);
            } else {
                LOG.debug("Replica {} refreshed: {} bytes in {} ms", snapshot.replica(), bytes, (System.nanoTime() - start) / 1_000_000);
            }
            failures = 0;
        } catch (Exception e) {
            // Read by the poll thread only after this task is done (Future.isDone), so no race on nextDue.
            failed(clock.instant(), e);
        }
    }

    private synchronized void failed(Instant at, Exception e) {
        failures++;
        Duration retry = every.compareTo(RETRY) < 0 ? every : RETRY;
        nextDue = at.plus(retry);
        if (failures == 1) {
            LOG.warn("Could not refresh the replica {}: {}; the previous one stays, retrying every {} until it works",
                    snapshot.replica(), reason(e), retry);
        } else {
            LOG.debug("Replica refresh failed again ({} in a row): {}", failures, reason(e));
        }
        try {
            snapshot.removeTemporary();
        } catch (Exception cleanup) {
            LOG.debug("Could not remove the replica's temporary file: {}", cleanup.getMessage());
        }
    }

    private static String reason(Exception e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Waits for a refresh being published (bounded), then stops the publishing thread. */
    @Override
    public void close() {
        publisher.shutdown();
        try {
            if (!publisher.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                publisher.shutdownNow();
            }
        } catch (InterruptedException e) {
            publisher.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
