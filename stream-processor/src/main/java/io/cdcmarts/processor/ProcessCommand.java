package io.cdcmarts.processor;

import io.cdcmarts.common.cli.ServiceRunner;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts process}: runs the stream processor (raw topics → staging, dead letters, open
 * failures, marts) until Ctrl-C or SIGTERM. Every option also reads an environment variable.
 */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Run the stream processor: raw topics -> staging, dead letters and marts (Kafka Streams, exactly-once).")
public final class ProcessCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommand.class);

    @Mixin
    ProcessorOptions options = new ProcessorOptions();

    /** The config these options describe; throws {@link IllegalArgumentException} naming the option. */
    public ProcessorConfig config() {
        return options.config();
    }

    @Override
    public Integer call() throws Exception {
        ProcessorConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("cdc-marts process: " + e.getMessage());
            return 2;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return serve("process", new ProcessorService(config, registry), registry, options.binding());
    }

    /**
     * Starts {@code service} with /health and /metrics on {@code binding} (port -1: none) and runs it
     * until Ctrl-C or SIGTERM; 1 when it cannot start. Also what {@code reprocess --then-run} ends with.
     */
    static int serve(String command, ProcessorService service, PrometheusMeterRegistry registry, HttpBinding binding) throws IOException {
        // A stopped topology is no use to anyone: exit non-zero so the supervisor restarts us.
        // The exit runs on its own thread: the shutdown hook closes Kafka Streams, which waits for
        // the very stream thread that reports the error.
        service.onFatalError(error -> new Thread(() -> System.exit(1), "processor-fatal-exit").start());
        ServiceHttpServer http = binding.enabled()
                ? new ServiceHttpServer(binding, "processor", () -> service.status().health(), registry::scrape) : null;
        try {
            service.start();
        } catch (RuntimeException e) {
            // e.g. the broker is unreachable: say so plainly, nothing was consumed
            LOG.error("The stream processor could not start", e);
            System.err.println("cdc-marts " + command + ": could not start: " + e.getMessage());
            service.close();
            if (http != null) {
                http.close();
            }
            return 1;
        }
        return ServiceRunner.runUntilStopped("stream processor", () -> {
            service.close();
            if (http != null) {
                http.close();
            }
        });
    }
}
