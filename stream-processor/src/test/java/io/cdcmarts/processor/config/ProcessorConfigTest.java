package io.cdcmarts.processor.config;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.processor.ProcessCommand;
import io.cdcmarts.processor.ReprocessCommand;
import io.cdcmarts.processor.quality.Check;
import io.cdcmarts.processor.quality.StagingRules;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessorConfigTest {

    private static ProcessorConfig parse(String... args) {
        ProcessCommand command = new ProcessCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void defaultsFollowThePrefix() {
        ProcessorConfig config = ProcessorConfig.builder(KafkaSettings.of("k:9092", "acme")).build();

        assertThat(config.applicationId()).isEqualTo("cdc-marts-processor-acme");
        assertThat(config.stateDir()).isEqualTo(Path.of("data/streams-state"));
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.storeType()).isEqualTo(StoreType.ROCKSDB);
        assertThat(config.dlqRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void streamsPropertiesAreExactlyOnceWithExplicitNamesAndOverridesLast() {
        ProcessorConfig config = ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop"))
                .streamsProperty("num.standby.replicas", "1")
                .streamsProperty(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "250")
                .build();

        Properties props = config.streamsProperties();
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(props.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isEqualTo("true");
        assertThat(props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("k:9092");
        assertThat(props.get("num.standby.replicas")).isEqualTo("1");
        assertThat(props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("250");
        assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(RocksDbSettings.class.getName());
        assertThat(props.get("producer.linger.ms")).isEqualTo("5");
        assertThat(props.get("consumer.max.partition.fetch.bytes")).isEqualTo(Integer.toString(8 * 1024 * 1024));
        assertThat(props.get("restore.consumer.fetch.max.wait.ms")).isEqualTo("50");
    }

    @Test
    void theClientDefaultsGiveWayToStreamsProperties() {
        Properties props = ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop"))
                .streamsProperty("producer.linger.ms", "100")
                .streamsProperty("restore.consumer.fetch.max.wait.ms", "500")
                .build()
                .streamsProperties();
        assertThat(props.get("producer.linger.ms")).isEqualTo("100");
        assertThat(props.get("restore.consumer.fetch.max.wait.ms")).isEqualTo("500");
    }

    @Test
    void kafkaStreamsItsMainConsumerAndItsProducerBackOffBrieflyTheOtherClientsAsKafkaDoes() {
        StreamsConfig streams = new StreamsConfig(ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop")).build()
                .streamsProperties());

        assertThat(streams.getLong(StreamsConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(10L);
        assertThat(streams.getMainConsumerConfigs("g", "c", 0).get("retry.backoff.ms")).isEqualTo("10");
        assertThat(streams.getProducerConfigs("c").get("retry.backoff.ms")).isEqualTo("10");
        assertThat(streams.getRestoreConsumerConfigs("c").get("retry.backoff.ms")).isEqualTo("100");
        assertThat(streams.getGlobalConsumerConfigs("c").get("retry.backoff.ms")).isEqualTo("100");
        assertThat(streams.getAdminConfigs("c").get("retry.backoff.ms")).isEqualTo("100");
    }

    @Test
    void aRetryBackoffGivenByTheUserIsEveryones() {
        StreamsConfig viaStreams = new StreamsConfig(ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop"))
                .streamsProperty("retry.backoff.ms", "250").build().streamsProperties());
        StreamsConfig viaKafka = new StreamsConfig(ProcessorConfig.builder(
                new KafkaSettings("k:9092", new TopicNames("shop"), 1, (short) 1, Map.of("retry.backoff.ms", "250"))).build()
                .streamsProperties());

        for (StreamsConfig streams : List.of(viaStreams, viaKafka)) {
            assertThat(streams.getLong(StreamsConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(250L);
            assertThat(streams.getMainConsumerConfigs("g", "c", 0).get("retry.backoff.ms")).isEqualTo("250");
            assertThat(streams.getProducerConfigs("c").get("retry.backoff.ms")).isEqualTo("250");
            assertThat(streams.getRestoreConsumerConfigs("c").get("retry.backoff.ms")).isEqualTo("250");
            assertThat(streams.getAdminConfigs("c").get("retry.backoff.ms")).isEqualTo("250");
        }
    }

    @Test
    void aClientsOwnRetryBackoffGivenByTheUserWinsOverTheDefaults() {
        StreamsConfig consumers = new StreamsConfig(ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop"))
                .streamsProperty("consumer.retry.backoff.ms", "500").build().streamsProperties());
        StreamsConfig admin = new StreamsConfig(ProcessorConfig.builder(
                new KafkaSettings("k:9092", new TopicNames("shop"), 1, (short) 1, Map.of("admin.retry.backoff.ms", "300"))).build()
                .streamsProperties());

        assertThat(consumers.getMainConsumerConfigs("g", "c", 0).get("retry.backoff.ms")).isEqualTo("500");
        assertThat(consumers.getRestoreConsumerConfigs("c").get("retry.backoff.ms")).isEqualTo("500");
        assertThat(consumers.getGlobalConsumerConfigs("c").get("retry.backoff.ms")).isEqualTo("500");
        assertThat(consumers.getProducerConfigs("c").get("retry.backoff.ms")).isEqualTo("10");
        assertThat(admin.getAdminConfigs("c").get("retry.backoff.ms")).isEqualTo("300");
        assertThat(admin.getRestoreConsumerConfigs("c").get("retry.backoff.ms")).isEqualTo("100");
    }

    @Test
    void theRecordCachesHold64MbUnlessTheUserSaysOtherwise() {
        StreamsConfig defaults = new StreamsConfig(ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop")).build()
                .streamsProperties());
        StreamsConfig given = new StreamsConfig(ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop"))
                .streamsProperty("statestore.cache.max.bytes", "1000").build().streamsProperties());
        Properties deprecated = ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop"))
                .streamsProperty("cache.max.bytes.buffering", "2000").build().streamsProperties();

        assertThat(defaults.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(64L * 1024 * 1024);
        assertThat(given.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(1000L);
        // Kafka Streams reads the deprecated key only while the new one is unset
        assertThat(deprecated).doesNotContainKey("statestore.cache.max.bytes").containsEntry("cache.max.bytes.buffering", "2000");
    }

    @Test
    void theCommandReadsItsOptions() {
        ProcessorConfig config = parse("--kafka-bootstrap", "broker:29092", "--topic-prefix", "t1", "--state-dir", "/var/state",
                "--commit-interval-ms", "500", "--stream-threads", "2", "--state-store", "IN_MEMORY",
                "--dlq-retention-days", "7", "--application-id", "my-app", "--streams-property", "max.task.idle.ms=10");

        assertThat(config.kafka().bootstrap()).isEqualTo("broker:29092");
        assertThat(config.topics().prefix()).isEqualTo("t1");
        assertThat(config.applicationId()).isEqualTo("my-app");
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/state"));
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.streamThreads()).isEqualTo(2);
        assertThat(config.storeType()).isEqualTo(StoreType.IN_MEMORY);
        assertThat(config.dlqRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.streamsOverrides()).containsEntry("max.task.idle.ms", "10");
    }

    @Test
    void oneFixedIntervalUnlessACatchUpIntervalIsAskedFor() {
        // Given the defaults: one fixed interval of 100 ms, no wrapper
        Properties props = parse().streamsProperties();
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("100");
        assertThat(props).doesNotContainKey(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG);
        assertThat(props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("-1");

        // When a catch-up interval is asked for: 100 ms while fresh, 1 s while catching up
        Properties adaptive = parse("--catch-up-commit-interval-ms", "1000").streamsProperties();
        assertThat(adaptive.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("1000");
        assertThat(adaptive.get(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG)).isEqualTo("io.cdcmarts.processor.topology.FreshCommits");
        assertThat(adaptive.get("cdc.fresh.commit.interval.ms")).isEqualTo("100");
        assertThat(adaptive.get("cdc.fresh.backlog.age.ms")).as("ten catch-up intervals").isEqualTo("10000");

        // When both are given
        ProcessorConfig config = parse("--commit-interval-ms", "200", "--catch-up-commit-interval-ms", "3000");
        assertThat(config.commitIntervals()).isEqualTo(new CommitIntervals(Duration.ofMillis(200), Duration.ofSeconds(3)));
        assertThat(config.streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("3000");
        assertThat(config.streamsProperties().get("cdc.fresh.commit.interval.ms")).isEqualTo("200");
        assertThat(config.commitIntervals().backlogAge()).isEqualTo(Duration.ofSeconds(30));

        // A commit interval alone is both: one fixed interval, no wrapper
        ProcessorConfig fixed = parse("--commit-interval-ms", "5000");
        assertThat(fixed.commitIntervals().adaptive()).isFalse();
        assertThat(fixed.streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("5000");
        assertThat(fixed.streamsProperties()).doesNotContainKey(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG);
        // and so is an equal pair
        assertThat(parse("--catch-up-commit-interval-ms", "100").streamsProperties())
                .doesNotContainKey(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    }

    @Test
    void theCommandsDefaultsAreTheConfigDefaults() {
        ProcessorConfig config = parse();

        assertThat(config.applicationId()).isEqualTo("cdc-marts-processor-" + config.topics().prefix());
        assertThat(config.commitInterval()).isEqualTo(ProcessorConfig.DEFAULT_COMMIT_INTERVAL);
        assertThat(config.streamThreads()).isEqualTo(1);
        assertThat(config.rules()).isSameAs(StagingRules.DEFAULTS);
    }

    @Test
    void processAndReprocessReadTheRulesFile(@TempDir Path dir) throws Exception {
        // Given a rules file that caps customers' age at 60
        Path rules = dir.resolve("rules.properties");
        Files.writeString(rules, "customers.age.max = 60\n");
        // Then process takes it
        assertThat(parse("--rules", rules.toString()).rules().customers().checks())
                .contains(new Check.Max("age", new BigDecimal("60")));
        // and reprocess, with a broken file, stops at once with exit 2 naming the file, line and key
        Files.writeString(rules, "customers.age.max = sixty\n");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new ReprocessCommand()).execute("--rules", rules.toString(), "--http-port", "-1");
        } finally {
            System.setErr(stderr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("cdc-marts reprocess: rules file " + rules + ", line 1 (customers.age.max): 'sixty' is not a number");
    }

    @Test
    void badValuesNameTheirOption() {
        assertThatThrownBy(() -> parse("--commit-interval-ms", "0")).hasMessageContaining("--commit-interval-ms");
        assertThatThrownBy(() -> parse("--catch-up-commit-interval-ms", "50"))
                .hasMessage("--catch-up-commit-interval-ms (50) must be at least --commit-interval-ms (100)");
        assertThatThrownBy(() -> parse("--catch-up-commit-interval-ms", "1s"))
                .hasMessage("--catch-up-commit-interval-ms must be a number of milliseconds, got '1s'");
        assertThatThrownBy(() -> parse("--streams-property", "commit.interval.ms=50"))
                .hasMessageContaining("--streams-property commit.interval.ms")
                .hasMessageContaining("--commit-interval-ms and --catch-up-commit-interval-ms");
        assertThatThrownBy(() -> parse("--stream-threads", "0")).hasMessageContaining("--stream-threads");
        assertThatThrownBy(() -> parse("--application-id", "has space")).hasMessageContaining("--application-id");
        assertThatThrownBy(() -> parse("--topic-prefix", "a..b")).hasMessageContaining("--topic-prefix");
    }

    @Test
    void theCommandExitsWithTwoOnABadOption() {
        int code = new CommandLine(new ProcessCommand()).execute("--stream-threads", "0", "--http-port", "-1");

        assertThat(code).isEqualTo(2);
    }
}
