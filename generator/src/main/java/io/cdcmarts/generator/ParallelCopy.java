package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends transactions of COPYs on a few connections at once. Order items cost PostgreSQL two
 * foreign-key checks each, done by the backend one row at a time; that, not building the rows, is
 * what a bulk load waits for, and a second backend roughly halves it. Chunks are built on the
 * caller's thread, in order, so the rows (and the ids reserved for them) stay deterministic;
 * only the sending runs in parallel.
 */
final class ParallelCopy implements AutoCloseable {

    /** One COPY of one transaction. */
    record Part(String copySql, CopyWriter rows) {
    }

    /** Called on a loader thread after a transaction committed. */
    interface Committed {
        void committed(List<Part> parts);
    }

    private final ExecutorService pool;
    private final BlockingQueue<Connection> connections;
    private final List<Connection> opened = new ArrayList<>();
    private final Semaphore inFlight;
    private final List<Future<?>> futures = new ArrayList<>();

    ParallelCopy(PgDsn dsn, int loaders) throws SQLException {
        this.connections = new ArrayBlockingQueue<>(loaders);
        try {
            for (int i = 0; i < loaders; i++) {
                Connection c = Connections.open(dsn, "cdc-marts-generator-load");
                opened.add(c);
                c.setAutoCommit(false);
                connections.add(c);
            }
        } catch (SQLException e) {
            closeConnections();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(loaders, r -> {
            Thread t = new Thread(r, "generator-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // One chunk waiting per loader bounds memory while keeping every loader busy.
        this.inFlight = new Semaphore(loaders * 2);
    }

    /**
     * Queues one transaction; blocks while enough are queued. Throws the failure of an earlier
     * transaction, if any, so the caller stops building chunks nobody will send.
     */
    void submit(List<Part> parts, Committed onCommit) throws SQLException, InterruptedException {
        rethrowFailures(false);
        inFlight.acquire();
        futures.add(pool.submit(() -> {
            try {
                send(parts);
                onCommit.committed(parts);
                return null;
            } finally {
                inFlight.release();
            }
        }));
    }

    /** Waits for every queued transaction; throws the first failure. */
    void awaitAll() throws SQLException, InterruptedException {
        rethrowFailures(true);
    }

    private void send(List<Part> parts) throws SQLException, InterruptedException {
        Connection c = connections.take();
        try {
            for (Part part : parts) {
                part.rows().send(c, part.copySql());
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            connections.put(c);
        }
    }

    private void rethrowFailures(boolean wait) throws SQLException, InterruptedException {
        for (Future<?> future : futures) {
            if (!wait && !future.isDone()) {
                continue;
            }
            try {
                future.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException sql) {
                    throw sql;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("a bulk load transaction failed", cause);
            }
        }
        futures.removeIf(Future::isDone);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnections();
    }

    private void closeConnections() {
        for (Connection c : opened) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing after a failure: the failure is what the caller reports
            }
        }
    }
}
