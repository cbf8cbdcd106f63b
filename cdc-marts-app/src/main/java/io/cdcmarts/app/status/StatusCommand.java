package io.cdcmarts.app.status;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code cdc-marts status}: slot lag, consumer lag, freshness, rows per layer, open failures, last errors. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "How the pipeline is doing: replication slot lag, consumer lag per topic, end-to-end freshness, "
                + "rows per layer, open failures and the last error of each service.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--pg-url", paramLabel = "DSN", defaultValue = "${env:CDC_PG_URL}",
            description = "The source PostgreSQL, for the slot's lag (env CDC_PG_URL; postgresql://user:pass@host:port/db or JDBC form). "
                    + "Without it the slot is not checked.")
    String pgUrl;

    @Option(names = "--slot", paramLabel = "NAME", defaultValue = "${env:CDC_CAPTURE_SLOT}",
            description = "Capture's replication slot (env CDC_CAPTURE_SLOT; default cdc_marts_<prefix>).")
    String slot;

    @Option(names = "--sink-group", paramLabel = "ID", defaultValue = "${env:CDC_SINK_GROUP_ID}",
            description = "The sink's consumer group (env CDC_SINK_GROUP_ID; default cdc-marts-sink-<prefix>).")
    String sinkGroup;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:CDC_PROCESSOR_APPLICATION_ID}",
            description = "The processor's Kafka Streams application id (env CDC_PROCESSOR_APPLICATION_ID; default cdc-marts-processor-<prefix>).")
    String applicationId;

    @Option(names = "--capture-url", paramLabel = "URL", defaultValue = "${env:CDC_CAPTURE_URL:-http://localhost:8081}",
            description = "Capture's HTTP server (env CDC_CAPTURE_URL; default ${DEFAULT-VALUE}).")
    String captureUrl;

    @Option(names = "--processor-url", paramLabel = "URL", defaultValue = "${env:CDC_PROCESSOR_URL:-http://localhost:8082}",
            description = "The processor's HTTP server (env CDC_PROCESSOR_URL; default ${DEFAULT-VALUE}).")
    String processorUrl;

    @Option(names = {"--url", "--sink-url"}, paramLabel = "URL", defaultValue = "${env:CDC_SINK_URL:-http://localhost:8080}",
            description = "The sink's HTTP server (env CDC_SINK_URL; default ${DEFAULT-VALUE}).")
    String sinkUrl;

    @Option(names = "--duckdb", paramLabel = "PATH", defaultValue = "${env:CDC_DUCKDB_PATH:-" + SinkConfig.DEFAULT_DUCKDB_PATH + "}",
            description = "The DuckDB file, read directly when the sink does not answer (env CDC_DUCKDB_PATH; default ${DEFAULT-VALUE}).")
    Path duckdb;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "${env:CDC_STATUS_TIMEOUT:-5s}",
            description = "How long to wait for each server (env CDC_STATUS_TIMEOUT; default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--json", defaultValue = "${env:CDC_STATUS_JSON:-false}",
            description = "Print the report as JSON, for scripts and monitoring.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        // A status report is read by a person: the Kafka client's reconnect warnings would bury it,
        // and every failure it cares about is in the report itself.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        KafkaSettings settings = kafka.settings();
        PgDsn pg = pgUrl == null || pgUrl.isBlank() ? null : parse(pgUrl);
        String prefix = settings.topics().prefix();
        StatusTargets targets = new StatusTargets(settings, pg,
                blank(slot) ? CaptureConfig.defaultName(prefix) : slot.trim(),
                blank(sinkGroup) ? SinkConfig.DEFAULT_GROUP_ID_PREFIX + prefix : sinkGroup.trim(),
                blank(applicationId) ? ProcessorConfig.defaultApplicationId(settings.topics()) : applicationId.trim(),
                captureUrl, processorUrl, sinkUrl, duckdb, SinkConfig.parseDuration("--timeout", timeout));
        StatusReport report = new StatusCollector(targets, Clock.systemUTC()).collect();
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            System.out.print(StatusText.render(report));
        }
        return 0;
    }

    private static PgDsn parse(String url) {
        try {
            return PgDsn.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pg-url (CDC_PG_URL): " + e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
