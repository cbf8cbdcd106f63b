package io.cdcmarts.app.bench;

import java.time.Duration;

/** What {@code bench} runs on the source beside its markers: started once, then waited for. */
interface Workload extends AutoCloseable {

    /** Starts the workload; it runs for the bench's {@code --duration} by itself. */
    void start() throws Exception;

    /**
     * Waits until the workload has stopped by itself, at most {@code timeout}. The generator's returns
     * then even if it still runs; pgbench's throws {@link IllegalStateException}, as its process would go on.
     */
    void awaitTermination(Duration timeout) throws InterruptedException;

    /** Events (generator) or transactions (pgbench) committed. */
    long events();

    /** Events or transactions that failed and were not retried into success. */
    long failures();

    /** Throws once the workload has failed (asked at every marker, so a failure at start shows at once), with the reason. */
    void throwIfFailed();

    @Override
    void close();

    /** {@code --workload none}: the markers only, the load comes from elsewhere. */
    static Workload none() {
        return new Workload() {
            @Override
            public void start() {
            }

            @Override
            public void awaitTermination(Duration timeout) {
            }

            @Override
            public long events() {
                return 0;
            }

            @Override
            public long failures() {
                return 0;
            }

            @Override
            public void throwIfFailed() {
            }

            @Override
            public void close() {
            }
        };
    }
}
