package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.position.OnMissingSlot;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.HttpBindOption;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.cli.ServiceRunner;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.generator.BulkGenerator;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.generator.Schema;
import io.cdcmarts.generator.StreamingWorkload;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.sink.ReplicaOptions;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.http.SinkHttp;
import io.cdcmarts.testing.EmbeddedPostgresServer;
import io.cdcmarts.testing.LocalKafkaBroker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.time.Duration;

/**
 * {@code cdc-marts local}: the whole pipeline in one process — a Kafka broker, PostgreSQL 18
 * (embedded unless {@code --pg-url}), capture, processor, sink and a continuous generator —
 * with every piece of state under {@code --data-dir}, so a restart resumes where it stopped.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run everything in one process: Kafka, PostgreSQL (embedded unless --pg-url), capture, processor, sink and a generator.")
public class LocalCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:CDC_DATA_DIR:-data}",
            description = "Where Kafka's log, the embedded PostgreSQL and the Streams state live (env CDC_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--duckdb", paramLabel = "PATH", defaultValue = "${env:CDC_DUCKDB_PATH:-data/cdc-marts.duckdb}",
            description = "DuckDB file (env CDC_DUCKDB_PATH; default ${DEFAULT-VALUE}).")
    Path duckdb;

    @Mixin
    ReplicaOptions replica = new ReplicaOptions();

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "${env:CDC_KAFKA_PORT:-9092}",
            description = "Port of the in-process Kafka broker on localhost (env CDC_KAFKA_PORT; default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--pg-url", paramLabel = "DSN", defaultValue = "${env:CDC_PG_URL}",
            description = "An existing PostgreSQL with wal_level=logical (postgresql://user:pass@host:5432/db or jdbc:postgresql://…); default: an embedded PostgreSQL 18.")
    String pgUrl;

    @Option(names = "--pg-port", paramLabel = "PORT", defaultValue = "${env:CDC_PG_PORT:-15432}",
            description = "Port of the embedded PostgreSQL on localhost (env CDC_PG_PORT; default ${DEFAULT-VALUE}).")
    int pgPort;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:CDC_TOPIC_PREFIX:-shop}",
            description = "Topic prefix (env CDC_TOPIC_PREFIX; default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--on-missing-slot", paramLabel = "fail|resnapshot", defaultValue = "${env:CDC_ON_MISSING_SLOT:-fail}",
            description = "At start, when capture's slot is gone or no longer keeps the stored position (a recreated database):"
                    + " fail with the fix, or take a new snapshot into the same topics (env CDC_ON_MISSING_SLOT; default ${DEFAULT-VALUE}).")
    String onMissingSlot;

    @Option(names = "--no-generator", description = "Do not create seed data or run the continuous workload.")
    boolean noGenerator;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "20",
            description = "Generator events per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--chaos-percent", paramLabel = "P", defaultValue = "3",
            description = "Share of generated rows that fail staging checks (default ${DEFAULT-VALUE}).")
    double chaosPercent;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "2000",
            description = "Orders of the seed data, created once into an empty database (default ${DEFAULT-VALUE}).")
    int orders;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CDC_HTTP_PORT:-8080}",
            description = "Port of the dashboard, /api/query, /api/status, /health and /metrics; -1 serves none "
                    + "(env CDC_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    HttpBindOption http = new HttpBindOption();

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "${env:CDC_DRAIN_TIMEOUT:-120}",
            description = "On stop, how long to wait for the changes in flight to reach DuckDB (env CDC_DRAIN_TIMEOUT; default ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    /** The dashboard's address once it serves, for the banner. */
    private String dashboard;

    @Override
    public Integer call() throws Exception {
        return ServiceRunner.runUntilStopped("cdc-marts local", start());
    }

    /**
     * Starts everything and returns at once; closing the result stops it the way Ctrl-C or
     * SIGTERM does (the shutdown hook of {@link #call()} closes it): generator first, then the
     * drain, then sink, processor, capture, PostgreSQL and Kafka. Tests run {@code local} in-process
     * through this.
     */
    AutoCloseable start() throws Exception {
        if (kafkaPort < 1 || kafkaPort > 65535) {
            throw new IllegalArgumentException("--kafka-port must be a port number, got " + kafkaPort);
        }
        if (pgUrl == null && (pgPort < 1 || pgPort > 65535)) {
            throw new IllegalArgumentException("--pg-port must be a port number, got " + pgPort);
        }
        if (drainTimeoutSeconds < 0) {
            throw new IllegalArgumentException("--drain-timeout must be 0 (do not wait) or more seconds, got " + drainTimeoutSeconds);
        }
        Duration drainTimeout = Duration.ofSeconds(drainTimeoutSeconds);
        OnMissingSlot missingSlot = OnMissingSlot.parse(onMissingSlot);
        HttpBinding binding = http.binding(httpPort);
        PgDsn explicitDsn = pgUrl == null || pgUrl.isBlank() ? null : PgDsn.parse(pgUrl);
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            LocalKafkaBroker kafka = LocalKafkaBroker.start(kafkaPort, dataDir.resolve("kafka"));
            started.push(kafka);
            PgDsn dsn = explicitDsn;
            if (dsn == null) {
                EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(null, dataDir.resolve("postgres"), pgPort, false);
                started.push(pg);
                dsn = pg.dsn();
            }
            KafkaSettings kafkaSettings = KafkaSettings.of(kafka.bootstrapServers(), topicPrefix);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            GeneratorConfig generatorConfig = GeneratorConfig.builder(dsn).orders(orders)
                    .customers(Math.max(1, orders / 10)).chaosPercent(chaosPercent).rate(rate).build();
            if (!noGenerator) {
                Schema.create(dsn);
                if (isEmpty(dsn)) {
                    new BulkGenerator(generatorConfig).run();
                }
            }
            CaptureService capture = new CaptureService(CaptureConfig.builder(dsn, kafkaSettings)
                    .onMissingSlot(missingSlot).build(), registry);
            capture.start();
            started.push(capture);
            ProcessorService processor = new ProcessorService(ProcessorConfig.builder(kafkaSettings)
                    .stateDir(dataDir.resolve("streams-state")).build(), registry);
            processor.start();
            started.push(processor);
            SinkConfig sinkConfig = replica.applyTo(SinkConfig.builder(kafkaSettings)).duckdbPath(duckdb).build();
            SinkService sink = new SinkService(sinkConfig, registry);
            sink.start();
            started.push(sink);
            // Closed after the generator and before the sink: lets capture, processor and sink
            // finish what is in flight, so the DuckDB file left behind is consistent across layers.
            PipelineDrain drain = new PipelineDrain(dsn, capture.config().slot(), kafkaSettings,
                    processor.config().applicationId(), processor.sourceTopics(),
                    sinkConfig.groupId(), sinkConfig.subscription());
            started.push(new DrainOnStop(drain, drainTimeout));
            if (binding.enabled()) {
                ServiceHttpServer server = new ServiceHttpServer(binding, "local",
                        () -> LocalHealth.of(capture, processor, sink), registry::scrape);
                started.push(server);
                started.push(new SinkHttp(server, sink, SinkHttp.Options.defaults()));
                dashboard = "http://" + binding.address() + ":" + server.port() + "/";
            }
            if (!noGenerator) {
                StreamingWorkload workload = new StreamingWorkload(generatorConfig);
                workload.start();
                started.push(workload);
            }
            printBanner(kafka.bootstrapServers(), dsn);
        } catch (Exception e) {
            try {
                closeAll(started);
            } catch (RuntimeException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        return () -> closeAll(started);
    }

    private static boolean isEmpty(PgDsn dsn) throws SQLException {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             ResultSet rs = c.createStatement().executeQuery("SELECT NOT EXISTS (SELECT 1 FROM customers)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Stops in reverse start order: the generator first, DuckDB closed before Kafka goes. Every
     * part is stopped even when one fails; then the failures are thrown together, so the stop is
     * not called clean ({@link ServiceRunner}) when a part, or the drain, did not finish.
     */
    private static void closeAll(Deque<AutoCloseable> started) {
        List<String> failures = new ArrayList<>();
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                String what = c instanceof DrainOnStop ? "draining" : "stopping " + c.getClass().getSimpleName();
                failures.add(what + " failed: " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
    }

    /** The stop's drain as a part to close: a drain that gave up fails the stop instead of passing unnoticed. */
    private record DrainOnStop(PipelineDrain drain, Duration timeout) implements AutoCloseable {
        @Override
        public void close() {
            if (!drain.await(timeout)) {
                throw new IllegalStateException("the pipeline did not drain within " + timeout.toSeconds()
                        + " s (--drain-timeout); the changes still in flight are applied at the next start");
            }
        }
    }

    private void printBanner(String bootstrap, PgDsn dsn) {
        System.out.println();
        System.out.println("cdc-marts is running (Ctrl-C stops it cleanly).");
        System.out.println("  PostgreSQL : " + dsn);
        System.out.println("  Kafka      : " + bootstrap + "   topics " + topicPrefix + ".raw.*, .stg.*, .dlq.*, .mart.*");
        System.out.println("  DuckDB     : " + duckdb.toAbsolutePath());
        if (dashboard != null) {
            System.out.println("  Dashboard  : " + dashboard + "   (SQL: bin/cdc-marts query \"SELECT * FROM mart.kpis\")");
        }
        System.out.println("  Or after stopping (DuckDB lets one process open a file):");
        System.out.println("    bin/cdc-marts verify --duckdb " + duckdb);
        System.out.println("    duckdb -readonly " + duckdb + " \"SELECT * FROM mart.sales_daily ORDER BY day DESC LIMIT 10\"");
        System.out.println();
    }
}
