package io.cdcmarts.common.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a long-lived service in the foreground until Ctrl-C or SIGTERM, then closes it cleanly
 * before the JVM exits (DuckDB closed, offsets stored, replication stopped).
 */
public final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    /**
     * Blocks until the JVM is asked to stop, then closes {@code service}.
     *
     * @return 0 after a clean stop
     */
    public static int runUntilStopped(String name, AutoCloseable service) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("Stopping {} ...", name);
            try {
                service.close();
                LOG.info("{} stopped cleanly", name);
            } catch (Exception e) {
                LOG.error("{} did not stop cleanly", name, e);
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
        return 0;
    }
}
