package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
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

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole chain on the shared PostgreSQL and Kafka for an end-to-end test: its own database
 * with the seed schema and generator data (with chaos), its own topic prefix, then capture,
 * processor and sink (DuckDB file {@code live.duckdb} in {@code dir}).
 */
record TestPipeline(PgDsn dsn, KafkaSettings kafka, Path duckdb, CaptureService capture, ProcessorService processor,
                    SinkService sink, PrometheusMeterRegistry registry) implements AutoCloseable {

    /**
     * @param data the generator's settings beyond the database and a fixed March 2024 window
     */
    static TestPipeline start(String database, String prefix, Path dir, UnaryOperator<GeneratorConfig.Builder> data) throws Exception {
        Infra infra = SharedInfra.get();
        PgDsn dsn = infra.newDatabase(database);
        Schema.create(dsn);
        new BulkGenerator(data.apply(GeneratorConfig.builder(dsn)
                .window(Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-03-05T23:59:59Z"))).build()).run();
        KafkaSettings kafka = KafkaSettings.of(infra.kafkaBootstrap(), prefix);
        // Prometheus, as the services serve it: tests scrape the same text /metrics shows.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaptureService capture = new CaptureService(CaptureConfig.builder(dsn, kafka).heartbeatInterval(Duration.ofSeconds(1)).build(), registry);
        capture.start();
        ProcessorService processor = new ProcessorService(ProcessorConfig.builder(kafka).stateDir(dir.resolve("state")).build(), registry);
        processor.start();
        Path duckdb = dir.resolve("live.duckdb");
        SinkService sink = new SinkService(SinkConfig.builder(kafka).duckdbPath(duckdb).build(), registry);
        sink.start();
        return new TestPipeline(dsn, kafka, duckdb, capture, processor, sink, registry);
    }

    /** The seed schema's tables. */
    static final List<String> TABLES = List.of("customers", "products", "product_variants", "orders", "order_items");

    /** Asserts that every raw table of the sink's file equals its source table, column by column. */
    void assertRawEqualsSource(Connection duck) throws SQLException {
        for (String table : TABLES) {
            List<String> columns = TableSnapshot.pgColumns(dsn, table);
            // A column added at the source reaches DuckDB with the next change event; until
            // then its absence is a mismatch to wait out, not a SQL error that ends the wait.
            assertThat(TableSnapshot.duckdbColumns(duck, "raw", table))
                    .as("raw.%s has every source column", table)
                    .containsAll(columns);
            assertThat(TableSnapshot.duckdb(duck, "raw." + table, columns))
                    .as("raw.%s equals the source table", table)
                    .isEqualTo(TableSnapshot.postgres(dsn, table, columns));
        }
    }

    /**
     * Asserts that the processor has consumed every message of the raw topics (which capture writes
     * without transactions, so a caught-up group sits exactly at the end offsets).
     */
    void assertProcessorReadAllRaw() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    ProcessorConfig.defaultApplicationId(kafka.topics())).partitionsToOffsetAndMetadata().get();
            Pattern raw = kafka.topics().pattern(TopicNames.Layer.RAW);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : admin.listTopics().names().get()) {
                if (raw.matcher(topic).matches()) {
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                }
            }
            assertThat(latest).as("raw topics").isNotEmpty();
            admin.listOffsets(latest).all().get().forEach((tp, end) -> {
                OffsetAndMetadata at = committed.get(tp);
                assertThat(at == null ? 0 : at.offset()).as("processor position in %s", tp).isEqualTo(end.offset());
            });
        }
    }

    /** Runs SQL statements separated by semicolons on the source database. */
    void sql(String script) throws Exception {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            for (String s : script.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    /** Stops sink, processor and capture, in that order. */
    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[]{sink, processor, capture}) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
