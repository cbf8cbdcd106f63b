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
        return serve(new ProcessorService(config, registry), registry, options.binding());
    }

    /**
     * Starts {@code service} with /health and /metrics on {@code binding} (port -1: none) and runs it
     * until Ctrl-C or SIGTERM. Also what {@code reprocess --then-run} ends with.
     *
     * @throws RuntimeException when it cannot start (the broker unreachable …): the launcher prints
     *                          the message on one line and exits 1; nothing was consumed
     */
    static int serve(ProcessorService service, PrometheusMeterRegistry registry, HttpBinding binding) throws IOException {
        ServiceHttpServer http = binding.enabled()
                ? new ServiceHttpServer(binding, "processor", () -> service.status().health(), registry::scrape) : null;
        ServiceRunner runner = new ServiceRunner("stream processor", () -> {
            service.close();
            if (http != null) {
                http.close();
            }
        });
        // A stopped topology is no use to anyone: exit non-zero so the supervisor restarts us.
        service.onFatalError(runner::failed);
        try {
            service.start();
        } catch (RuntimeException e) {
            LOG.error("The stream processor could not start: {}", e.getMessage());
            service.close();
            if (http != null) {
                http.close();
            }
            throw e;
        }
        return runner.run();
    }
}
