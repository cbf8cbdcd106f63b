package io.cdcmarts.app.bench;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.Secrets;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.generator.StreamingWorkload;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code --workload generator}: the generator's streaming workload on {@code clients} connections, {@code rate / clients} events/s each. */
final class GeneratorWorkload implements Workload {
    private final List<StreamingWorkload> all = new ArrayList<>();

    GeneratorWorkload(PgDsn dsn, double rate, int clients, long seed, Duration runFor) {
        for (int i = 0; i < clients; i++) {
            all.add(new StreamingWorkload(GeneratorConfig.builder(dsn).stream(true).rate(rate / clients)
                    .seed(seed + i).chaosPercent(0).duration(runFor).build()));
        }
    }

    @Override
    public void start() throws SQLException {
        for (StreamingWorkload w : all) {
            w.start();
        }
    }

    @Override
    public void awaitTermination(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (StreamingWorkload w : all) {
            w.awaitTermination(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
    }

    @Override
    public long events() {
        return all.stream().mapToLong(w -> w.stats().events()).sum();
    }

    @Override
    public long failures() {
        return all.stream().mapToLong(w -> w.stats().failures()).sum();
    }

    @Override
    public void throwIfFailed() {
        for (StreamingWorkload w : all) {
            if (w.failure() != null) {
                throw new IllegalStateException("the workload stopped: " + Secrets.redact(String.valueOf(w.failure().getMessage())));
            }
        }
    }

    @Override
    public void close() {
        all.forEach(StreamingWorkload::close);
    }
}
