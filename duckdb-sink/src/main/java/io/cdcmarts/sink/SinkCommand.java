package io.cdcmarts.sink;

import io.cdcmarts.common.cli.HttpBindOption;
import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.cli.ServiceRunner;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.sink.http.ReadOnlyQuery;
import io.cdcmarts.sink.http.SinkHttp;
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

    @Mixin
    HttpBindOption http = new HttpBindOption();

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CDC_HTTP_PORT:-8080}",
            description = "Port of the dashboard, /api/query, /api/status, /health and /metrics; 0 picks a free port, "
                    + "-1 serves none (env CDC_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--query-timeout", paramLabel = "DURATION", defaultValue = "${env:CDC_QUERY_TIMEOUT:-30s}",
            description = "A query through /api/query is cancelled after this long (env CDC_QUERY_TIMEOUT; default ${DEFAULT-VALUE}).")
    String queryTimeout;

    @Option(names = "--query-max-rows", paramLabel = "N", defaultValue = "${env:CDC_QUERY_MAX_ROWS:-" + ReadOnlyQuery.DEFAULT_MAX_ROWS + "}",
            description = "Most rows /api/query returns; more are cut off and flagged truncated (env CDC_QUERY_MAX_ROWS; default ${DEFAULT-VALUE}).")
    int queryMaxRows;

    @Option(names = "--duckdb", paramLabel = "PATH", defaultValue = "${env:CDC_DUCKDB_PATH:-" + SinkConfig.DEFAULT_DUCKDB_PATH + "}",
            description = "DuckDB file; parent directories are created (env CDC_DUCKDB_PATH; default ${DEFAULT-VALUE}).")
    Path duckdb;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = "${env:CDC_SINK_GROUP_ID:-}",
            description = "Kafka consumer group, for lag monitoring: offsets are resumed from DuckDB "
                    + "(env CDC_SINK_GROUP_ID; default cdc-marts-sink-<prefix>).")
    String groupId;

    @Mixin
    BatchOptions batch = new BatchOptions();

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

    @Mixin
    ReplicaOptions replica = new ReplicaOptions();

    /** The validated configuration of the parsed options. */
    public SinkConfig config() {
        return replica.applyTo(batch.applyTo(SinkConfig.builder(kafka.settings())))
                .duckdbPath(duckdb)
                .groupId(groupId)
                .pollTimeout(SinkConfig.parseDuration("--poll-timeout", pollTimeout))
                .topicRefresh(SinkConfig.parseDuration("--topic-refresh", topicRefresh))
                .layers(SinkConfig.parseLayers(layers))
                .build();
    }

    /** The validated limits of /api/query. */
    SinkHttp.Options httpOptions() {
        return new SinkHttp.Options(SinkConfig.parseDuration("--query-timeout", queryTimeout), queryMaxRows);
    }

    @Override
    public Integer call() throws Exception {
        SinkConfig config = config();
        HttpBinding binding = http.binding(httpPort);
        SinkHttp.Options options = httpOptions();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SinkService service = new SinkService(config, registry);
        service.start();
        ServiceHttpServer server = null;
        SinkHttp api = null;
        if (binding.enabled()) {
            try {
                server = new ServiceHttpServer(binding, "sink", () -> SinkHttp.health(service.status()), registry::scrape);
                api = new SinkHttp(server, service, options);
            } catch (Exception e) {
                if (server != null) {
                    server.close();
                }
                service.close();
                throw e;
            }
        }
        ServiceHttpServer httpServer = server;
        SinkHttp httpApi = api;
        ServiceRunner runner = new ServiceRunner("sink", () -> {
            if (httpServer != null) {
                httpServer.close();
                httpApi.close();
            }
            service.close();
        });
        // The poll loop died on an error it cannot retry: exit 1 so a supervisor restarts the sink.
        service.stopped().whenComplete((done, error) -> {
            if (error != null) {
                runner.failed(error);
            }
        });
        return runner.run();
    }
}
