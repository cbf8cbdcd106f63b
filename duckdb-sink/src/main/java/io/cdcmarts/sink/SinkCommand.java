package io.cdcmarts.sink;

import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.cli.ServiceRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts sink}: wires the options into a {@link SinkConfig}, starts a
 * {@link SinkService} and runs it until Ctrl-C or SIGTERM. Every option also reads an environment
 * variable, for docker compose.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Consume the raw, staging, mart and dead-letter topics into one DuckDB file, exactly once.")
public class SinkCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--duckdb", paramLabel = "PATH", defaultValue = "${env:CDC_DUCKDB_PATH:-" + SinkConfig.DEFAULT_DUCKDB_PATH + "}",
            description = "DuckDB file; parent directories are created (env CDC_DUCKDB_PATH; default ${DEFAULT-VALUE}).")
    Path duckdb;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = "${env:CDC_SINK_GROUP_ID:-}",
            description = "Kafka consumer group, for lag monitoring: offsets are resumed from DuckDB "
                    + "(env CDC_SINK_GROUP_ID; default cdc-marts-sink-<prefix>).")
    String groupId;

    @Option(names = "--max-poll-records", paramLabel = "N",
            defaultValue = "${env:CDC_SINK_MAX_POLL_RECORDS:-" + SinkConfig.DEFAULT_MAX_POLL_RECORDS + "}",
            description = "Most messages per batch, one DuckDB transaction each (env CDC_SINK_MAX_POLL_RECORDS; default ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(names = "--poll-timeout", paramLabel = "DURATION", defaultValue = "${env:CDC_SINK_POLL_TIMEOUT:-500ms}",
            description = "How long one poll waits for messages, e.g. 500ms, 2s (env CDC_SINK_POLL_TIMEOUT; default ${DEFAULT-VALUE}).")
    String pollTimeout;

    @Option(names = "--topic-refresh", paramLabel = "DURATION", defaultValue = "${env:CDC_SINK_TOPIC_REFRESH:-10s}",
            description = "How soon the topics of new tables are picked up (env CDC_SINK_TOPIC_REFRESH; default ${DEFAULT-VALUE}).")
    String topicRefresh;

    @Option(names = "--layers", paramLabel = "LIST", defaultValue = "${env:CDC_SINK_LAYERS:-raw,stg,mart,dlq}",
            description = "Layers to sink, any of raw,stg,mart,dlq; dlq also brings quality.open_failures "
                    + "(env CDC_SINK_LAYERS; default ${DEFAULT-VALUE}).")
    String layers;

    /** The validated configuration of the parsed options. */
    public SinkConfig config() {
        return SinkConfig.builder(kafka.settings())
                .duckdbPath(duckdb)
                .groupId(groupId)
                .maxPollRecords(maxPollRecords)
                .pollTimeout(SinkConfig.parseDuration("--poll-timeout", pollTimeout))
                .topicRefresh(SinkConfig.parseDuration("--topic-refresh", topicRefresh))
                .layers(SinkConfig.parseLayers(layers))
                .build();
    }

    @Override
    public Integer call() {
        SinkConfig config = config();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SinkService service = new SinkService(config, registry);
        service.start();
        service.stopped().whenComplete((done, error) -> {
            if (error != null) {
                // Not from the loop's thread: exiting runs the shutdown hook, which waits for that thread.
                new Thread(() -> System.exit(1), "sink-exit").start();
            }
        });
        return ServiceRunner.runUntilStopped("sink", service);
    }
}
