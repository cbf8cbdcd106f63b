package io.cdcmarts.sink.http;

import io.cdcmarts.sink.SinkStatus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Rows applied per second over the last {@value #WINDOW_SECONDS} seconds, per layer, from a sample
 * of the sink's counters taken every second — so the dashboard shows a rate even on its first load.
 */
final class Throughput implements AutoCloseable {

    static final int WINDOW_SECONDS = 10;

    private record Sample(long nanos, Map<String, Long> rows) {
    }

    private final Supplier<SinkStatus> status;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sink-throughput");
        t.setDaemon(true);
        return t;
    });

    Throughput(Supplier<SinkStatus> status) {
        this.status = status;
        sample();
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        long now = System.nanoTime();
        samples.addLast(new Sample(now, new HashMap<>(status.get().rowsApplied())));
        while (samples.size() > 2 && now - samples.peekFirst().nanos() > Duration.ofSeconds(WINDOW_SECONDS).toNanos()) {
            samples.removeFirst();
        }
    }

    /** Rows per second per layer (raw, stg, mart, quality) over the window; 0 before two samples. */
    synchronized Map<String, Double> rowsPerSecond() {
        Map<String, Double> out = new HashMap<>();
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = first == null ? 0 : (last.nanos() - first.nanos()) / 1e9;
        for (String layer : SinkStatusReport.LAYERS) {
            long delta = seconds <= 0 ? 0 : last.rows().getOrDefault(layer, 0L) - first.rows().getOrDefault(layer, 0L);
            out.put(layer, seconds <= 0 ? 0.0 : delta / seconds);
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
