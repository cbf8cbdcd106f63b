package io.cdcmarts.sink;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a command's work in the foreground so that Ctrl-C or SIGTERM asks it to stop and the JVM
 * waits for it to finish (a DuckDB file closed, a consumer closed) before exiting.
 */
public final class UntilStopped {

    private UntilStopped() {
    }

    /**
     * @param stop asks {@code work} to end early; called from the shutdown hook
     * @return what {@code work} returns
     */
    public static <T> T run(String name, Runnable stop, Callable<T> work) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(); // the JVM exits only after work has cleaned up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.call();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and has just been released
            }
        }
    }
}
