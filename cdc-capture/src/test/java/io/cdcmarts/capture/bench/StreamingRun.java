package io.cdcmarts.capture.bench;

import io.cdcmarts.common.PgDsn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The streaming half of {@link CaptureBenchmark}: row changes committed in PostgreSQL after the
 * snapshot, timed until they have arrived (in {@code raw.order_items}'s topic, or in DuckDB through
 * the sink: {@link Arrivals}). Every change is an UPDATE of {@code order_items.quantity} over a range
 * of ids, so each committed row is exactly one message on that topic's one partition, in commit
 * order: its position says how many have arrived, and no message has to be read or parsed to know it.
 *
 * <ul>
 *   <li>{@link #bulk}: as many changes as one connection commits, in transactions of a given size;
 *       changes per second from the first commit to the last arrival (capture's ceiling, or
 *       PostgreSQL's when that is lower: both times are printed).</li>
 *   <li>{@link #paced}: a steady rate, one transaction per tick; per transaction, the time from its
 *       COMMIT returning to the position covering its last row.</li>
 * </ul>
 */
final class StreamingRun {

    private final PgDsn db;
    private final Arrivals arrivals;
    private final String items;
    private final long firstId;
    private final long lastId;
    private long nextId;
    private int bump = 1;

    StreamingRun(PgDsn db, Arrivals arrivals, String itemsTopic) throws SQLException {
        this.db = db;
        this.arrivals = arrivals;
        this.items = itemsTopic;
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT min(id), max(id) FROM order_items")) {
            rs.next();
            this.firstId = rs.getLong(1);
            this.lastId = rs.getLong(2);
        }
        this.nextId = firstId;
    }

    /** {@code changes} row changes in transactions of {@code perTransaction}, as fast as one connection goes. */
    void bulk(int changes, int perTransaction) throws Exception {
        long base = arrived();
        long written = 0;
        long start;
        try (Connection c = connect(); PreparedStatement update = c.prepareStatement(UPDATE)) {
            c.setAutoCommit(false);
            start = System.nanoTime();
            while (written < changes) {
                written += updateNext(update, (int) Math.min(perTransaction, changes - written));
                c.commit();
            }
        }
        long committed = System.nanoTime();
        long arrived = awaitOffset(base + written, TimeUnit.MINUTES.toNanos(30));
        double pgSeconds = (committed - start) / 1e9;
        double seconds = (arrived - start) / 1e9;
        System.out.printf("Streaming, bulk: %,d changes in transactions of %d; PostgreSQL committed them in %.1f s "
                        + "(%,.0f changes/s); the last reached %s %s %.1f s after the first commit's start = %,.0f changes/s captured "
                        + "(%.2f s after the last commit)%n",
                written, perTransaction, pgSeconds, written / pgSeconds, arrivals.where(), items, seconds, written / seconds,
                (arrived - committed) / 1e9);
    }

    /** {@code rate} row changes per second for {@code seconds}, in {@code perSecond} transactions a second. */
    void paced(int rate, int perSecond, int seconds) throws Exception {
        int perTransaction = Math.max(1, rate / perSecond);
        long tick = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long base = arrived();
        ConcurrentLinkedQueue<long[]> pending = new ConcurrentLinkedQueue<>(); // {expected end offset, commit nanos}
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(pending, latencies, writing), "paced-watcher");
        watcher.start();
        long written = 0;
        long late = 0;
        long start = System.nanoTime();
        try (Connection c = connect(); PreparedStatement update = c.prepareStatement(UPDATE)) {
            c.setAutoCommit(false);
            long transactions = (long) perSecond * seconds;
            for (long i = 0; i < transactions; i++) {
                long due = start + i * tick;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (wait < -tick) {
                    late++;
                }
                written += updateNext(update, perTransaction);
                c.commit();
                pending.add(new long[] {base + written, System.nanoTime()});
            }
        } finally {
            writing.set(false);
        }
        watcher.join(TimeUnit.MINUTES.toMillis(10));
        double took = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("Streaming, paced: %,d changes/s asked, %,d written in %d transactions of %d (%,.0f changes/s achieved, "
                        + "%d transactions more than a tick late); commit→%s %s p50 %.3f s, p99 %.3f s, max %.3f s (%d of %d seen)%n",
                rate, written, sorted.size(), perTransaction, written / took, late, arrivals.where(), items,
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0), sorted.size(),
                (long) perSecond * seconds);
    }

    /** Resolves pending transactions as the position passes them, until writing stops and none is left. */
    private void watch(ConcurrentLinkedQueue<long[]> pending, List<Long> latencies, AtomicBoolean writing) {
        try {
            long deadline = Long.MAX_VALUE;
            while (writing.get() || !pending.isEmpty()) {
                if (!writing.get() && deadline == Long.MAX_VALUE) {
                    deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                }
                if (System.nanoTime() > deadline) {
                    System.out.printf("  %d transactions never reached %s %s%n", pending.size(), arrivals.where(), items);
                    return;
                }
                long end = arrived();
                long now = System.nanoTime();
                for (long[] p = pending.peek(); p != null && p[0] <= end; p = pending.peek()) {
                    pending.poll();
                    latencies.add(now - p[1]);
                }
                LockSupport.parkNanos(arrivals.pollNanos());
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading the position of " + items + " in " + arrivals.where() + " failed", e);
        }
    }

    private static final String UPDATE = "UPDATE order_items SET quantity = quantity + ? WHERE id >= ? AND id < ?";

    /** Updates the next {@code rows} ids (wrapping round), returning how many rows changed. */
    private int updateNext(PreparedStatement update, int rows) throws SQLException {
        int changed = 0;
        while (changed < rows) {
            if (nextId > lastId) {
                nextId = firstId;
                bump = -bump; // up one pass, down the next: quantities stay near the generator's
            }
            long to = Math.min(nextId + rows - changed, lastId + 1);
            update.setInt(1, bump);
            update.setLong(2, nextId);
            update.setLong(3, to);
            changed += update.executeUpdate();
            nextId = to;
        }
        return changed;
    }

    private long awaitOffset(long expected, long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        while (arrived() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(items + " reached only " + arrived() + " of " + expected + " in " + arrivals.where());
            }
            LockSupport.parkNanos(arrivals.pollNanos());
        }
        return System.nanoTime();
    }

    private long arrived() throws Exception {
        return arrivals.position(List.of(items));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
    }

    private static double percentile(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, Math.min(i, sortedNanos.size() - 1))) / 1e9;
    }
}
