package io.cdcmarts.processor.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads that keep every core busy until closed, so a test sees the processor the way a loaded
 * production machine runs it: stream threads descheduled at any point, commits and cache flushes
 * late. Daemon threads, stopped on close.
 */
public final class CpuBurner implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    public CpuBurner(int threadCount) {
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::burn, "cpu-burner-" + i);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            threads.add(t);
            t.start();
        }
    }

    private void burn() {
        long x = 0;
        while (running.get()) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        if (x == 42) {
            System.out.print(""); // keeps the loop from being optimised away
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }
}
