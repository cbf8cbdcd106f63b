package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

/**
 * The three services of an end-to-end test, assembled as {@code local} does: capture from a test
 * database, the processor (state under {@code dir}), the sink into {@code dir/shop.duckdb}.
 */
final class Pipeline implements AutoCloseable {

    final PgDsn dsn;
    final KafkaSettings kafka;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Path dir;
    final CaptureService capture;
    ProcessorService processor;
    final SinkService sink;

    private Pipeline(PgDsn dsn, KafkaSettings kafka, Path dir) {
        this.dsn = dsn;
        this.kafka = kafka;
        this.dir = dir;
        capture = new CaptureService(CaptureConfig.builder(dsn, kafka).heartbeatInterval(Duration.ofSeconds(1)).build(), registry);
        sink = new SinkService(SinkConfig.builder(kafka).duckdbPath(dir.resolve("shop.duckdb")).build(), registry);
    }

    /** Starts capture, a processor with the built-in rules, and the sink. */
    static Pipeline start(PgDsn dsn, KafkaSettings kafka, Path dir) {
        Pipeline p = new Pipeline(dsn, kafka, dir);
        p.capture.start();
        p.startProcessor(p.processorConfig().build());
        p.sink.start();
        return p;
    }

    /** The processor's config as the pipeline runs it; add to it (e.g. rules) and build. */
    ProcessorConfig.Builder processorConfig() {
        return ProcessorConfig.builder(kafka).stateDir(dir.resolve("state"));
    }

    /** Starts a processor with {@code config} (after the previous one was closed). */
    void startProcessor(ProcessorConfig config) {
        processor = new ProcessorService(config, registry);
        processor.start();
    }

    /** Runs SQL statements separated by ';' on the source database. */
    void sql(String script) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            for (String s : script.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{sink, processor, capture}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
