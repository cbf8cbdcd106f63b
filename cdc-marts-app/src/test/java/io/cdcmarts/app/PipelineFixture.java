package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.kafka.GroupOffsets;
import io.cdcmarts.common.kafka.PartitionOffsets;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One whole pipeline for an end-to-end test class, on the shared broker and PostgreSQL server:
 * its own database seeded by the generator with chaos rows, its own topic prefix, and capture,
 * processor and sink started in-process; plus the waits for the {@link PipelineChecks}. The
 * processor can be stopped and another one run in its place while capture and sink go on, as
 * {@code reprocess} needs.
 */
final class PipelineFixture implements AutoCloseable {

    private static final Duration CONVERGENCE = Duration.ofMinutes(3);
    private static final String DUCKDB_FILE = "shop.duckdb";

    private final PgDsn dsn;
    private final KafkaSettings kafka;
    private final Path dir;
    private final PrometheusMeterRegistry registry;
    private final CaptureService capture;
    private final SinkService sink;
    private ProcessorService processor;

    private PipelineFixture(PgDsn dsn, KafkaSettings kafka, Path dir) {
        this.dsn = dsn;
        this.kafka = kafka;
        this.dir = dir;
        // Prometheus, as the services serve it: tests scrape the same text /metrics shows.
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.capture = new CaptureService(CaptureConfig.builder(dsn, kafka).heartbeatInterval(Duration.ofSeconds(1)).build(), registry);
        this.sink = new SinkService(SinkConfig.builder(kafka).duckdbPath(dir.resolve(DUCKDB_FILE)).build(), registry);
    }

    /**
     * Creates database {@code name} with the seed schema and 150 orders (10 % chaos), then starts
     * the pipeline on topic prefix {@code prefix} with its state and DuckDB file under {@code dir}.
     */
    static PipelineFixture start(String name, String prefix, Path dir) throws Exception {
        return start(name, prefix, dir, UnaryOperator.identity());
    }

    /**
     * As {@link #start(String, String, Path)}, with the seed data changed by {@code data} (more
     * customers, less chaos, …) for a test whose assertions need rows of some kind.
     */
    static PipelineFixture start(String name, String prefix, Path dir, UnaryOperator<GeneratorConfig.Builder> data)
            throws Exception {
        Infra infra = SharedInfra.get();
        PgDsn dsn = infra.newDatabase(name);
        Schema.create(dsn);
        new BulkGenerator(data.apply(seed(dsn)).build()).run();
        PipelineFixture pipeline = new PipelineFixture(dsn, KafkaSettings.of(infra.kafkaBootstrap(), prefix), dir);
        try {
            pipeline.capture.start();
            pipeline.startProcessor(new ProcessorService(pipeline.processorConfig().build(), pipeline.registry));
            pipeline.sink.start();
            return pipeline;
        } catch (Exception | Error e) {
            try {
                pipeline.close();
            } catch (RuntimeException stopping) {
                e.addSuppressed(stopping);
            }
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

    KafkaSettings kafka() {
        return kafka;
    }

    SinkService sink() {
        return sink;
    }

    /** The DuckDB file the running sink holds. */
    Path duckdb() {
        return dir.resolve(DUCKDB_FILE);
    }

    /** The meters of all three services, one registry as in {@code local}. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The processor's config as the pipeline runs it (its state under the test's dir); add rules and build. */
    ProcessorConfig.Builder processorConfig() {
        return ProcessorConfig.builder(kafka).stateDir(dir.resolve("state"));
    }

    /** Stops the processor; capture and sink keep running. */
    void stopProcessor() {
        processor.close();
    }

    /** Starts {@code next} as the pipeline's processor, after {@link #stopProcessor()}; closed with the pipeline. */
    void startProcessor(ProcessorService next) {
        processor = next;
        next.start();
    }

    /**
     * Asserts that the processor has consumed every message of the raw topics (which capture writes
     * without transactions, so a caught-up group sits exactly at the end offsets).
     */
    void assertProcessorReadAllRaw() throws Exception {
        Pattern raw = kafka.topics().pattern(TopicNames.Layer.RAW);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            GroupOffsets group = new PartitionOffsets(admin, IsolationLevel.READ_UNCOMMITTED, Duration.ofSeconds(10))
                    .read(ProcessorConfig.defaultApplicationId(kafka.topics()), raw);
            List<TopicPartition> rawPartitions = group.end().keySet().stream()
                    .filter(tp -> raw.matcher(tp.topic()).matches()).toList();
            assertThat(rawPartitions).as("raw topics").isNotEmpty();
            for (TopicPartition tp : rawPartitions) {
                assertThat(group.committed().getOrDefault(tp, 0L)).as("processor position in %s", tp).isEqualTo(group.end().get(tp));
            }
        }
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
