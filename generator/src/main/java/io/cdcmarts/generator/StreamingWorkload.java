package io.cdcmarts.generator;

import net.datafaker.Faker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A continuous, realistic workload on the e-commerce tables, for change data capture to have
 * something to capture: new orders, status moves, price, stock and quantity changes, items and
 * orders moved, new customers and products, deletes, and at {@code --chaos-percent} rows that fail
 * the staging checks and later fixes of them (see {@link EventKind}).
 *
 * <p>Each event is one short transaction, paced at {@code --rate} events per second on a thread of
 * its own, until {@link #close()} or until {@code --max-events} / {@code --duration} is reached.
 * The choices are drawn from {@code --seed}: the same seed on the same database state makes the
 * same changes. A failed event is rolled back, counted and logged; a lost connection is reopened
 * with a back-off, so a database restart does not end the workload.
 *
 * <pre>{@code
 * try (StreamingWorkload workload = new StreamingWorkload(config)) {
 *     workload.start();          // returns at once
 *     workload.awaitTermination(Duration.ofMinutes(1)); // or close() whenever you like
 * }
 * }</pre>
 */
public final class StreamingWorkload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingWorkload.class);

    /**
     * Orders dated before this day are never picked by the workload (so never deleted, re-dated,
     * moved to another status or customer; their totals still follow changes of their items):
     * {@code cdc-marts bench} keeps its marker orders there, and a marker cancelled or re-dated
     * before it was seen would be no measurement. No generated order is dated so early.
     */
    public static final LocalDate ORDERS_LEFT_ALONE_BEFORE = LocalDate.of(1900, 1, 1);

    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** After a stall (a slow database, a GC pause) the workload catches up at most this much, not in one burst. */
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Share of chaos events that repair an earlier bad row, when there is one. */
    private static final int FIX_PERCENT = 30;
    /** Bad rows remembered for a later fix; the oldest are forgotten beyond this. */
    private static final int MAX_PENDING_FIXES = 10_000;
    private static final int MAX_LOGGED_FAILURES = 20;

    private final GeneratorConfig config;
    private final Random rng;
    private final WorkloadEvents events;
    private final List<EventKind> ordinary = EventKind.ordinary();
    private final List<EventKind> chaotic = EventKind.chaotic();
    private final List<WorkloadEvents.Fix> pendingFixes = new ArrayList<>();

    private final AtomicLong eventCount = new AtomicLong();
    private final AtomicLong failureCount = new AtomicLong();
    private final AtomicLong skippedCount = new AtomicLong();
    private final AtomicLongArray byKind = new AtomicLongArray(EventKind.values().length);
    private final CountDownLatch finished = new CountDownLatch(1);

    private volatile boolean stopping;
    private volatile Throwable failure;
    private Thread thread;
    private Connection connection;
    private long backoffNanos;

    /** A workload against {@code config.dsn()}, with its rate, limits, chaos and seed. Nothing runs before {@link #start()}. */
    public StreamingWorkload(GeneratorConfig config) {
        this.config = config;
        this.rng = new Random(Seeds.derive(config.seed(), Seeds.STREAM_VALUES));
        Faker faker = new Faker(Locale.ENGLISH, new Random(Seeds.derive(config.seed(), Seeds.STREAM_FAKER)));
        this.events = new WorkloadEvents(rng, faker, config.maxItemsPerOrder());
    }

    /**
     * Connects, checks that the tables exist, and starts the workload thread; returns at once.
     *
     * @throws SQLException          when the database cannot be reached
     * @throws IllegalStateException when the tables are missing (run with {@code --create-schema}) or it was started before
     */
    public synchronized void start() throws SQLException {
        if (thread != null) {
            throw new IllegalStateException("the workload was started already");
        }
        connection = Connections.open(config.dsn(), "cdc-marts-generator-stream");
        List<String> missing = Schema.missingTables(connection);
        if (!missing.isEmpty()) {
            connection.close();
            throw new IllegalStateException("tables " + missing + " do not exist in " + config.dsn()
                    + ": create them with --create-schema");
        }
        connection.setAutoCommit(false);
        events.use(connection);
        thread = new Thread(this::run, "generator-stream");
        // The owner stops it with close(); a forgotten workload must not keep the JVM alive.
        thread.setDaemon(true);
        LOG.info("Streaming workload on {}: {} events/s, chaos {}%, seed {}{}{}", config.dsn(), config.rate(),
                config.chaosPercent(), config.seed(),
                config.maxEvents().isPresent() ? ", at most " + config.maxEvents().getAsLong() + " events" : "",
                config.duration().map(d -> ", for " + d.toSeconds() + " s").orElse(""));
        thread.start();
    }

    /**
     * Waits until the workload ends by itself (a limit reached) or is closed.
     *
     * @return true when it ended within {@code timeout}
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the workload thread is still producing events. */
    public boolean isRunning() {
        return thread != null && finished.getCount() > 0;
    }

    /** The error that ended the workload early, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Counters so far; safe to call from any thread. */
    public Stats stats() {
        Map<EventKind, Long> kinds = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            long n = byKind.get(kind.ordinal());
            if (n > 0) {
                kinds.put(kind, n);
            }
        }
        return new Stats(eventCount.get(), failureCount.get(), skippedCount.get(), kinds);
    }

    /**
     * Counters of a workload.
     *
     * @param events   events attempted (applied, skipped or failed)
     * @param failures events rolled back on an error
     * @param skipped  events that found nothing to apply to
     * @param byKind   applied events per kind (kinds never applied are absent)
     */
    public record Stats(long events, long failures, long skipped, Map<EventKind, Long> byKind) {

        /** Applied events of one kind. */
        public long applied(EventKind kind) {
            return byKind.getOrDefault(kind, 0L);
        }

        @Override
        public String toString() {
            return events + " events (" + failures + " failed, " + skipped + " skipped): " + byKind.entrySet().stream()
                    .map(e -> e.getKey().label() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    /** Stops after the event in flight, waits for the thread, closes the connection. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            LockSupport.unpark(running);
            try {
                if (!finished.await(30, TimeUnit.SECONDS)) {
                    LOG.warn("Streaming workload did not stop within 30 s; interrupting it");
                    running.interrupt();
                    finished.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (running == null) {
            finished.countDown();
        }
    }

    private void run() {
        long started = System.nanoTime();
        long deadline = config.duration().map(d -> started + d.toNanos()).orElse(Long.MAX_VALUE);
        long limit = config.maxEvents().orElse(Long.MAX_VALUE);
        long period = Math.max(1, Math.round(1e9 / config.rate()));
        long next = started;
        long lastProgress = started;
        try {
            while (!stopping && eventCount.get() < limit) {
                if (!waitUntil(Math.min(next, deadline)) || System.nanoTime() - deadline >= 0) {
                    break;
                }
                next += period;
                long now = System.nanoTime();
                if (now - next > MAX_CATCH_UP_NANOS) {
                    next = now;
                }
                step();
                if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
                    lastProgress = now;
                    logProgress(now - started);
                }
            }
            logProgress(System.nanoTime() - started);
            LOG.info("Streaming workload stopped after {} events", eventCount.get());
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("Streaming workload failed after {} events", eventCount.get(), e);
        } finally {
            closeConnection();
            finished.countDown();
        }
    }

    /** Parks until {@code at} (System.nanoTime); false when asked to stop meanwhile. */
    private boolean waitUntil(long at) {
        long wait;
        while (!stopping && (wait = at - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                stopping = true;
            }
        }
        return !stopping;
    }

    /** One event in one transaction. */
    private void step() {
        eventCount.incrementAndGet();
        if (connection == null && !reconnect()) {
            failureCount.incrementAndGet();
            return;
        }
        EventKind kind = choose();
        WorkloadEvents.Fix fix = kind == EventKind.FIX ? pendingFixes.remove(rng.nextInt(pendingFixes.size())) : null;
        try {
            boolean applied = fix != null ? events.applyFix(fix) : events.apply(kind);
            if (!applied) {
                // Nothing to apply to (an empty table, no pending order …): grow the shop instead, so
                // an empty database fills itself and every tick still makes a change.
                kind = fallback();
                applied = events.apply(kind);
            }
            connection.commit();
            keepFixes(events.takeEarnedFixes());
            if (applied) {
                byKind.incrementAndGet(kind.ordinal());
            } else {
                skippedCount.incrementAndGet();
            }
        } catch (SQLException e) {
            events.takeEarnedFixes();
            failureCount.incrementAndGet();
            handleFailure(kind, e);
        }
    }

    private EventKind choose() {
        double chaos = config.chaosPercent() / 100.0;
        if (chaos > 0 && rng.nextDouble() < chaos) {
            if (!pendingFixes.isEmpty() && rng.nextInt(100) < FIX_PERCENT) {
                return EventKind.FIX;
            }
            return weighted(chaotic);
        }
        return weighted(ordinary);
    }

    private EventKind weighted(List<EventKind> kinds) {
        int total = kinds.stream().mapToInt(EventKind::weight).sum();
        int roll = rng.nextInt(total);
        for (EventKind kind : kinds) {
            roll -= kind.weight();
            if (roll < 0) {
                return kind;
            }
        }
        throw new AssertionError("weights changed while drawing");
    }

    /** The creation that an event without a target falls back to: customers, then products, then orders. */
    private EventKind fallback() throws SQLException {
        if (events.pick("customers", "").isEmpty()) {
            return EventKind.NEW_CUSTOMER;
        }
        if (events.pick("product_variants", "").isEmpty()) {
            return EventKind.NEW_PRODUCT;
        }
        return EventKind.NEW_ORDER;
    }

    private void keepFixes(List<WorkloadEvents.Fix> fixes) {
        pendingFixes.addAll(fixes);
        if (pendingFixes.size() > MAX_PENDING_FIXES) {
            pendingFixes.subList(0, pendingFixes.size() - MAX_PENDING_FIXES).clear();
        }
    }

    private void handleFailure(EventKind kind, SQLException e) {
        if (Connections.isConnectionLost(e, connection)) {
            LOG.warn("Streaming workload lost its connection to {} during {}: {}; reconnecting", config.dsn(),
                    kind.label(), e.getMessage());
            closeConnection();
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            LOG.warn("Rollback after a failed {} event failed too; reconnecting", kind.label(), rollback);
            closeConnection();
            return;
        }
        // A concurrent writer (or the user) can delete a row between our pick and our write, or take
        // an email first: such an event is lost, which a workload can afford. Log the first ones fully.
        long failures = failureCount.get();
        if (failures <= MAX_LOGGED_FAILURES) {
            LOG.warn("{} event rolled back (SQLSTATE {}): {}{}", kind.label(), e.getSQLState(), e.getMessage(),
                    failures == MAX_LOGGED_FAILURES ? " (further failures are only counted)" : "");
        } else {
            LOG.debug("{} event rolled back (SQLSTATE {}): {}", kind.label(), e.getSQLState(), e.getMessage());
        }
    }

    private boolean reconnect() {
        try {
            Connection fresh = Connections.open(config.dsn(), "cdc-marts-generator-stream");
            fresh.setAutoCommit(false);
            connection = fresh;
            events.use(fresh);
            backoffNanos = 0;
            LOG.info("Streaming workload reconnected to {}", config.dsn());
            return true;
        } catch (SQLException e) {
            backoffNanos = backoffNanos == 0 ? TimeUnit.MILLISECONDS.toNanos(100)
                    : Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
            LOG.warn("Streaming workload cannot reach {} ({}); retrying in {} ms", config.dsn(), e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(backoffNanos));
            waitUntil(System.nanoTime() + backoffNanos);
            return false;
        }
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the workload's connection failed", e);
        }
        connection = null;
    }

    private void logProgress(long elapsedNanos) {
        Stats stats = stats();
        double seconds = elapsedNanos / 1e9;
        LOG.info("stream: {} events in {} s ({}/s), {} failed, {} skipped; {}", stats.events(),
                String.format(Locale.ROOT, "%.0f", seconds),
                String.format(Locale.ROOT, "%.1f", seconds == 0 ? 0 : stats.events() / seconds),
                stats.failures(), stats.skipped(), stats.byKind().entrySet().stream()
                        .map(e -> e.getKey().label() + "=" + e.getValue()).collect(Collectors.joining(" ")));
    }
}
