package io.cdcmarts.processor;

import io.cdcmarts.common.cli.HttpBindOption;
import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.common.cli.ServiceRunner;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.config.StoreType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    HttpBindOption http = new HttpBindOption();

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:CDC_PROCESSOR_APPLICATION_ID:-}",
            description = "Kafka Streams application id (env CDC_PROCESSOR_APPLICATION_ID; default cdc-marts-processor-<prefix>).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:CDC_STATE_DIR:-" + ProcessorConfig.DEFAULT_STATE_DIR + "}",
            description = "Directory of the state stores (env CDC_STATE_DIR; default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "${env:CDC_COMMIT_INTERVAL_MS:-100}",
            description = "How often results are committed and become visible (env CDC_COMMIT_INTERVAL_MS; default ${DEFAULT-VALUE}).")
    long commitIntervalMs;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = "${env:CDC_STREAM_THREADS:-1}",
            description = "Stream threads (env CDC_STREAM_THREADS; default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--state-store", paramLabel = "TYPE", defaultValue = "${env:CDC_STATE_STORE:-ROCKSDB}",
            description = "State store type: ROCKSDB or IN_MEMORY (env CDC_STATE_STORE; default ${DEFAULT-VALUE}).")
    StoreType storeType;

    @Option(names = "--dlq-retention-days", paramLabel = "DAYS", defaultValue = "${env:CDC_DLQ_RETENTION_DAYS:-30}",
            description = "Retention of the dead-letter topics it creates (env CDC_DLQ_RETENTION_DAYS; default ${DEFAULT-VALUE}).")
    long dlqRetentionDays;

    @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
            description = "Any Kafka Streams property, applied last (repeatable), e.g. num.standby.replicas=1.")
    Map<String, String> streamsProperties = new LinkedHashMap<>();

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CDC_HTTP_PORT:-8082}",
            description = "Port of /health and /metrics; 0 picks a free port, -1 serves none (env CDC_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    /** The config these options describe; throws {@link IllegalArgumentException} naming the option. */
    public ProcessorConfig config() {
        return ProcessorConfig.builder(kafka.settings())
                .applicationId(applicationId)
                .stateDir(stateDir)
                .commitInterval(Duration.ofMillis(commitIntervalMs))
                .streamThreads(streamThreads)
                .storeType(storeType)
                .dlqRetention(Duration.ofDays(dlqRetentionDays))
                .streamsProperties(streamsProperties)
                .build();
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
        ProcessorService service = new ProcessorService(config, registry);
        // A stopped topology is no use to anyone: exit non-zero so the supervisor restarts us.
        // The exit runs on its own thread: the shutdown hook closes Kafka Streams, which waits for
        // the very stream thread that reports the error.
        service.onFatalError(error -> new Thread(() -> System.exit(1), "processor-fatal-exit").start());
        HttpBinding binding = http.binding(httpPort);
        ServiceHttpServer server = binding.enabled()
                ? new ServiceHttpServer(binding, "processor", () -> service.status().health(), registry::scrape) : null;
        try {
            service.start();
        } catch (RuntimeException e) {
            // e.g. the broker is unreachable: say so plainly, nothing was consumed
            LOG.error("The stream processor could not start", e);
            System.err.println("cdc-marts process: could not start: " + e.getMessage());
            service.close();
            if (server != null) {
                server.close();
            }
            return 1;
        }
        return ServiceRunner.runUntilStopped("stream processor", () -> {
            service.close();
            if (server != null) {
                server.close();
            }
        });
    }
}
