package io.cdcmarts.processor;

import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.reprocess.Reprocessor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts reprocess}: recomputes staging, dead letters, open failures and marts from the
 * raw topics (e.g. after a rules change) while capture and sink keep running; with
 * {@code --then-run} it goes on as the processor. Takes the options of {@code process}.
 */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
        description = {"Recompute staging, dead letters, open failures and marts from the raw topics (e.g. after a rules change),"
                + " while capture and sink keep running. Stop 'process' first; it refuses while the processor runs.",
                "Deletes the processor's internal topics, group offsets and local state, reprocesses raw from offset 0 until"
                        + " caught up, then writes tombstones for stg/mart/open-failure keys that no longer exist."})
public final class ReprocessCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReprocessCommand.class);

    /** Exit code when a processor of the same application is still running. */
    public static final int PROCESSOR_RUNNING = 3;

    @Mixin
    ProcessorOptions options = new ProcessorOptions();

    @Option(names = "--then-run", defaultValue = "${env:CDC_REPROCESS_THEN_RUN:-false}",
            description = "Keep running as the processor afterwards, with the same rules (env CDC_REPROCESS_THEN_RUN).")
    boolean thenRun;

    @Option(names = "--timeout-minutes", paramLabel = "MIN", defaultValue = "${env:CDC_REPROCESS_TIMEOUT_MINUTES:-120}",
            description = "Give up when the reprocess has not caught up by then (env CDC_REPROCESS_TIMEOUT_MINUTES; default ${DEFAULT-VALUE}).")
    long timeoutMinutes;

    @Override
    public Integer call() throws IOException {
        ProcessorConfig config;
        try {
            config = options.config();
            if (timeoutMinutes < 1) {
                throw new IllegalArgumentException("--timeout-minutes must be at least 1, got " + timeoutMinutes);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("cdc-marts reprocess: " + e.getMessage());
            return 2;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorService service = new ProcessorService(config, registry);
        // Ctrl-C mid-way: close Kafka Streams so it leaves the group; running reprocess again starts over.
        Thread stop = new Thread(service::close, "reprocess-shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            new Reprocessor(service, Duration.ofMinutes(timeoutMinutes), System.out::println).run();
        } catch (Reprocessor.ProcessorStillRunningException e) {
            System.err.println("cdc-marts reprocess: " + e.getMessage());
            return PROCESSOR_RUNNING;
        } catch (RuntimeException e) {
            LOG.error("The reprocess failed", e);
            System.err.println("cdc-marts reprocess failed: " + e.getMessage()
                    + " (running it again starts over; the sink keeps the last good results meanwhile)");
            return 1;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        if (!thenRun) {
            System.out.println("Start 'cdc-marts process' with the same rules to keep processing.");
            return 0;
        }
        return ProcessCommand.serve(service, registry, options.binding());
    }
}
