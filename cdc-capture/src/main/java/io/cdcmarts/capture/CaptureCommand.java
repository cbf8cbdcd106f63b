package io.cdcmarts.capture;

import io.cdcmarts.capture.position.OnMissingSlot;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.HttpBindOption;
import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.common.cli.ServiceRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts capture}: PostgreSQL → Kafka, one compacted topic per table, until Ctrl-C or
 * SIGTERM. Only maps options (each also from a {@code CDC_*} environment variable) to a
 * {@link CaptureConfig}, starts a {@link CaptureService} and runs it in the foreground.
 */
@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Captures every change of a PostgreSQL schema (or of --tables) with Debezium (pgoutput) into Kafka:",
                "one compacted topic <prefix>.raw.<table> per table, keyed by primary key, with a tombstone after each delete.",
                "Creates its publication and topics; the slot's offsets are stored only after Kafka acknowledged the events."},
        exitCodeOnExecutionException = 1, subcommands = ResnapshotCommand.class)
public final class CaptureCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pg-url", paramLabel = "DSN", defaultValue = "${env:CDC_PG_URL}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Source PostgreSQL, postgresql://user:pass@host:5432/db or jdbc:postgresql://… (env CDC_PG_URL).")
    String pgUrl;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    HttpBindOption http = new HttpBindOption();

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "${env:CDC_CAPTURE_SCHEMA:-public}",
            description = "Schema to capture; every table of it, including tables created later (env CDC_CAPTURE_SCHEMA; default ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--tables", paramLabel = "T1,T2", split = ",", defaultValue = "${env:CDC_CAPTURE_TABLES}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Capture only these tables of --schema (env CDC_CAPTURE_TABLES; default: the whole schema).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--publication", paramLabel = "NAME", defaultValue = "${env:CDC_CAPTURE_PUBLICATION}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Publication capture creates and keeps in line with --schema/--tables (env CDC_CAPTURE_PUBLICATION; default cdc_marts_<prefix>).")
    String publication;

    @Option(names = "--slot", paramLabel = "NAME", defaultValue = "${env:CDC_CAPTURE_SLOT}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Logical replication slot, plugin pgoutput (env CDC_CAPTURE_SLOT; default cdc_marts_<prefix>).")
    String slot;

    @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "${env:CDC_CAPTURE_HEARTBEAT_MS:-10000}",
            description = "Heartbeat interval that keeps the slot advancing while captured tables are idle; 0 turns it off (env CDC_CAPTURE_HEARTBEAT_MS; default ${DEFAULT-VALUE}).")
    long heartbeatMs;

    @Option(names = "--publication-refresh-ms", paramLabel = "MS",
            defaultValue = "${env:CDC_CAPTURE_PUBLICATION_REFRESH_MS:-5000}",
            description = "How often capture of a whole schema looks for new tables with a primary key and publishes them (env CDC_CAPTURE_PUBLICATION_REFRESH_MS; default ${DEFAULT-VALUE}).")
    long publicationRefreshMs;

    @Option(names = "--heartbeat-action-query", paramLabel = "SQL", defaultValue = "${env:CDC_CAPTURE_HEARTBEAT_ACTION_QUERY}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "SQL run at each heartbeat, e.g. an UPDATE of a heartbeat table when the whole database is idle (env CDC_CAPTURE_HEARTBEAT_ACTION_QUERY).")
    String heartbeatActionQuery;

    @Option(names = "--snapshot-mode", paramLabel = "MODE", defaultValue = "${env:CDC_CAPTURE_SNAPSHOT_MODE:-initial}",
            description = "Debezium snapshot.mode: initial, no_data, when_needed, always …, or incremental (the first start streams at once"
                    + " and snapshots every table in key chunks through the signal table, resuming after a restart)"
                    + " (env CDC_CAPTURE_SNAPSHOT_MODE; default ${DEFAULT-VALUE}).")
    String snapshotMode;

    @Option(names = "--snapshot-threads", paramLabel = "N", defaultValue = "${env:CDC_CAPTURE_SNAPSHOT_THREADS:-1}",
            description = "How many tables a blocking snapshot reads at once, 1-16 (env CDC_CAPTURE_SNAPSHOT_THREADS; default ${DEFAULT-VALUE}).")
    int snapshotThreads;

    @Option(names = "--on-missing-slot", paramLabel = "fail|resnapshot", defaultValue = "${env:CDC_ON_MISSING_SLOT:-fail}",
            description = "At start, when the slot is gone or no longer keeps the stored position (a recreated database, a dropped slot):"
                    + " fail with the fix, or take a new snapshot into the same topics (env CDC_ON_MISSING_SLOT; default ${DEFAULT-VALUE}).")
    String onMissingSlot;

    @Option(names = "--offsets-file", paramLabel = "PATH", defaultValue = "${env:CDC_CAPTURE_OFFSETS_FILE}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Keep Debezium's offsets in this file instead of the Kafka topic <prefix>.capture.offsets (env CDC_CAPTURE_OFFSETS_FILE).")
    Path offsetsFile;

    @Option(names = "--offset-flush-ms", paramLabel = "MS", defaultValue = "${env:CDC_CAPTURE_OFFSET_FLUSH_MS:-5000}",
            description = "How often acknowledged offsets are stored (env CDC_CAPTURE_OFFSET_FLUSH_MS; default ${DEFAULT-VALUE}).")
    long offsetFlushMs;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CDC_HTTP_PORT:-8081}",
            description = "Port of /health and /metrics; 0 picks a free port, -1 serves none (env CDC_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--signal-table", paramLabel = "SCHEMA.TABLE", defaultValue = "${env:CDC_CAPTURE_SIGNAL_TABLE}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Debezium's signaling table, created with its schema when missing and added to the publication;"
                    + " `capture resnapshot` asks for incremental snapshots through it. `none` turns signaling off"
                    + " (env CDC_CAPTURE_SIGNAL_TABLE; default cdc_marts.signal_<prefix>).")
    String signalTable;

    @Option(names = "--debezium", paramLabel = "KEY=VALUE",
            description = "Any Debezium connector or engine property, applied last (repeatable), e.g. --debezium snapshot.fetch.size=5000.")
    Map<String, String> debezium = new LinkedHashMap<>();

    /** Runs {@code capture} on its own, outside the launcher. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CaptureCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        CaptureConfig config = toConfig();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaptureService service = new CaptureService(config, registry);
        HttpBinding binding = http.binding(httpPort);
        ServiceHttpServer server = binding.enabled()
                ? new ServiceHttpServer(binding, "capture", () -> service.status().health(), registry::scrape) : null;
        ServiceRunner runner = new ServiceRunner("capture", () -> {
            service.close();
            if (server != null) {
                server.close();
            }
        });
        service.onFailure(failure -> {
            LOG.error("Capture failed; exiting with status 1");
            runner.failed(failure);
        });
        try {
            service.start();
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        return runner.run();
    }

    /**
     * The options as a validated config.
     *
     * @throws IllegalArgumentException naming the option and the reason
     */
    CaptureConfig toConfig() {
        if (pgUrl == null || pgUrl.isBlank()) {
            throw new IllegalArgumentException("--pg-url (or CDC_PG_URL) is required");
        }
        PgDsn dsn;
        try {
            dsn = PgDsn.parse(pgUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pg-url: " + e.getMessage(), e);
        }
        List<String> tableList = tables == null ? List.of()
                : tables.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        return CaptureConfig.builder(dsn, kafka.settings())
                .schema(schema)
                .tables(tableList)
                .publication(publication)
                .slot(slot)
                .heartbeatInterval(Duration.ofMillis(heartbeatMs))
                .heartbeatActionQuery(heartbeatActionQuery)
                .publicationRefresh(Duration.ofMillis(publicationRefreshMs))
                .snapshotMode(snapshotMode)
                .snapshotThreads(snapshotThreads)
                .offsetsFile(offsetsFile)
                .offsetFlushInterval(Duration.ofMillis(offsetFlushMs))
                .debezium(debezium)
                .signalTable(SignalTable.parse(signalTable, kafka.settings().topics().prefix()))
                .onMissingSlot(OnMissingSlot.parse(onMissingSlot))
                .build();
    }
}
