package io.cdcmarts.common.cli;

import io.cdcmarts.common.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a long-lived service in the foreground until Ctrl-C or SIGTERM, then closes it cleanly
 * before the JVM exits (DuckDB closed, offsets stored, replication stopped). A service that fails
 * on its own calls {@link #failed}: the JVM exits 1 so a supervisor restarts it, and the stop says
 * it followed a failure instead of calling itself clean.
 */
public final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private final String name;
    private final AutoCloseable service;
    private final Runnable exit;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Exits the JVM with status 1 on {@link #failed}. */
    public ServiceRunner(String name, AutoCloseable service) {
        this(name, service, () -> System.exit(1));
    }

    /** With what {@link #failed} does after recording the failure (tests pass a stand-in for {@code System.exit(1)}). */
    ServiceRunner(String name, AutoCloseable service, Runnable exit) {
        this.name = name;
        this.service = service;
        this.exit = exit;
    }

    /** Blocks until the JVM is asked to stop, then closes {@code service}; 0 after a clean stop. */
    public static int runUntilStopped(String name, AutoCloseable service) {
        return new ServiceRunner(name, service).run();
    }

    /**
     * The service stopped working by itself: exit 1. The exit runs on its own thread, since the
     * shutdown hook closes the service, which may wait for the very thread that reports the failure.
     */
    public void failed(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            new Thread(exit, name + "-exit").start();
        }
    }

    /** Blocks until the JVM is asked to stop, then closes the service; 0 after a clean stop. */
    public int run() {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                stop();
            } finally {
                closed.countDown();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure.get() == null ? 0 : 1;
    }

    /** Closes the service and logs how it went; returns that line (what the shutdown hook does). */
    String stop() {
        LOG.info("Stopping {} ...", name);
        String outcome;
        try {
            service.close();
            Throwable cause = failure.get();
            outcome = cause == null ? name + " stopped cleanly"
                    : name + " stopped after a failure: " + Secrets.redact(String.valueOf(cause.getMessage()));
        } catch (Exception e) {
            outcome = name + " did not stop cleanly: " + Secrets.redact(String.valueOf(e.getMessage()));
            LOG.error(outcome, e);
            return outcome;
        }
        if (failure.get() == null) {
            LOG.info(outcome);
        } else {
            LOG.error(outcome);
        }
        return outcome;
    }
}
