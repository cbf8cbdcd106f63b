package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.generator.BulkGenerator;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.generator.Schema;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;

/**
 * One whole pipeline for an end-to-end test class, on the shared broker and PostgreSQL server:
 * its own database seeded by the generator with chaos rows, its own topic prefix, and capture,
 * processor and sink started in-process; plus the waits for the {@link PipelineChecks}.
 */
final class PipelineFixture implements AutoCloseable {

    private static final Duration CONVERGENCE = Duration.ofMinutes(3);

    private final PgDsn dsn;
    private final CaptureService capture;
    private final ProcessorService processor;
    private final SinkService sink;
    private final PrometheusMeterRegistry registry;

    private PipelineFixture(PgDsn dsn, CaptureService capture, ProcessorService processor, SinkService sink,
                            PrometheusMeterRegistry registry) {
        this.dsn = dsn;
        this.registry = registry;
        this.capture = capture;
        this.processor = processor;
        this.sink = sink;
    }

    /**
     * Creates database {@code name} with the seed schema and 150 orders (10 % chaos), then starts
     * the pipeline on topic prefix {@code prefix} with its state and DuckDB file under {@code dir}.
     */
    static PipelineFixture start(String name, String prefix, Path dir) throws Exception {
        Infra infra = SharedInfra.get();
        PgDsn dsn = infra.newDatabase(name);
        Schema.create(dsn);
        new BulkGenerator(seed(dsn).build()).run();
        KafkaSettings kafka = KafkaSettings.of(infra.kafkaBootstrap(), prefix);
        // Prometheus, as the services serve it: tests scrape the same text /metrics shows.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaptureService capture = new CaptureService(CaptureConfig.builder(dsn, kafka).heartbeatInterval(Duration.ofSeconds(1)).build(), registry);
        ProcessorService processor = null;
        SinkService sink = null;
        try {
            capture.start();
            processor = new ProcessorService(ProcessorConfig.builder(kafka).stateDir(dir.resolve("state")).build(), registry);
            processor.start();
            sink = new SinkService(SinkConfig.builder(kafka).duckdbPath(dir.resolve("shop.duckdb")).build(), registry);
            sink.start();
            return new PipelineFixture(dsn, capture, processor, sink, registry);
        } catch (Exception | Error e) {
            closeAll(sink, processor, capture);
            throw e;
        }
    }

    /** The generator settings of the seed data; tests reuse them for a streaming workload. */
    static GeneratorConfig.Builder seed(PgDsn dsn) {
        return GeneratorConfig.builder(dsn).customers(40).products(15).orders(150).chaosPercent(10)
                .window(Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-03-05T23:59:59Z"));
    }

    PgDsn dsn() {
        return dsn;
    }

    SinkService sink() {
        return sink;
    }

    /** The meters of all three services, one registry as in {@code local}. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Runs a script of ;-separated statements on the source database. */
    void sql(String script) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            for (String s : script.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    void awaitRawEqualsSource() {
        awaitOnReader(duck -> PipelineChecks.rawEqualsSource(duck, dsn));
    }

    void awaitMartsVerify() {
        awaitOnReader(PipelineChecks::martsVerify);
    }

    void awaitMartsEqualPostgresOracle() {
        awaitOnReader(duck -> PipelineChecks.martsEqualPostgresOracle(duck, dsn));
    }

    /** A check on a fresh reader of the live DuckDB file, retried until it holds. */
    void awaitOnReader(ReaderCheck check) {
        await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                check.run(duck);
            }
        });
    }

    /** An assertion over a DuckDB connection. */
    @FunctionalInterface
    interface ReaderCheck {
        void run(Connection duck) throws Exception;
    }

    @Override
    public void close() {
        closeAll(sink, processor, capture);
    }

    private static void closeAll(AutoCloseable... inStopOrder) {
        IllegalStateException failure = null;
        for (AutoCloseable c : inStopOrder) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the pipeline failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
