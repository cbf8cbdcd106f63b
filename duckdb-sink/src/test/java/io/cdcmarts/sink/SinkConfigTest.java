package io.cdcmarts.sink;

import io.cdcmarts.common.TopicNames.Layer;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.batch.BatchLimits;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkConfigTest {

    private final KafkaSettings kafka = KafkaSettings.of("broker:9092", "shop");

    @Test
    void defaults() {
        SinkConfig config = SinkConfig.builder(kafka).build();

        assertThat(config.duckdbPath()).isEqualTo(Path.of("data/cdc-marts.duckdb"));
        assertThat(config.groupId()).isEqualTo("cdc-marts-sink-shop");
        assertThat(config.maxPollRecords()).isEqualTo(20_000);
        assertThat(config.batchLimits()).isEqualTo(new BatchLimits(200_000, 256L << 20, Duration.ofSeconds(2)));
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.layers()).containsExactlyInAnyOrder(Layer.values());
        assertThat(config.replicaPath()).isEmpty();
        assertThat(config.replicaEvery()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void subscribesToEveryLayerAndTheOpenFailuresTopicOnly() {
        var pattern = SinkConfig.builder(kafka).build().subscription();

        assertThat(pattern.matcher("shop.raw.orders").matches()).isTrue();
        assertThat(pattern.matcher("shop.stg.orders").matches()).isTrue();
        assertThat(pattern.matcher("shop.mart.kpis").matches()).isTrue();
        assertThat(pattern.matcher("shop.dlq.orders").matches()).isTrue();
        assertThat(pattern.matcher("shop.quality.open_failures").matches()).isTrue();
        assertThat(pattern.matcher("shop.capture.offsets").matches()).isFalse();
        assertThat(pattern.matcher("other.raw.orders").matches()).isFalse();
        assertThat(pattern.matcher("shop.raw.orders-repartition").matches()).isTrue();
        assertThat(pattern.matcher("shop.raw.a.b").matches()).isFalse();
    }

    @Test
    void onlyTheChosenLayers() {
        var pattern = SinkConfig.builder(kafka).layers(Layer.MART).build().subscription();

        assertThat(pattern.matcher("shop.mart.kpis").matches()).isTrue();
        assertThat(pattern.matcher("shop.raw.orders").matches()).isFalse();
        assertThat(pattern.matcher("shop.quality.open_failures").matches()).isFalse();
    }

    @Test
    void exactlyOnceSettingsCannotBeOverridden() {
        KafkaSettings withExtras = new KafkaSettings("broker:9092", kafka.topics(), 1, (short) 1,
                Map.of("enable.auto.commit", "true", "isolation.level", "read_uncommitted", "max.partition.fetch.bytes", "1024"));

        Map<String, Object> consumer = SinkConfig.builder(withExtras).build().consumerConfig();

        assertThat(consumer).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "cdc-marts-sink-shop")
                .containsEntry(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1024");
    }

    @Test
    void fetchesWaitForAMegabyteOrATenthOfASecondUnlessTheUserSaysOtherwise() {
        Map<String, Object> defaults = SinkConfig.builder(kafka).build().consumerConfig();
        KafkaSettings own = new KafkaSettings("broker:9092", kafka.topics(), 1, (short) 1,
                Map.of("fetch.min.bytes", "1", "fetch.max.wait.ms", "500"));
        Map<String, Object> given = SinkConfig.builder(own).build().consumerConfig();

        assertThat(defaults).containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024)
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        assertThat(given).containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1")
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
    }

    @Test
    void invalidValuesNameTheirOption() {
        assertThatThrownBy(() -> SinkConfig.builder(kafka).maxPollRecords(0).build()).hasMessageContaining("--max-poll-records");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).maxBatchRecords(0).build()).hasMessageContaining("--max-batch-records");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).maxBatchWait(Duration.ofMinutes(6)).build()).hasMessageContaining("--max-batch-wait");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).maxBatchBytes(0).build()).hasMessageContaining("--max-batch-bytes");
        assertThatThrownBy(() -> SinkConfig.parseSize("--max-batch-bytes", "lots")).hasMessageContaining("--max-batch-bytes").hasMessageContaining("lots");
        assertThat(SinkConfig.parseSize("x", "256MB")).isEqualTo(256L << 20);
        assertThat(SinkConfig.parseSize("x", " 1 gb")).isEqualTo(1L << 30);
        assertThat(SinkConfig.parseSize("x", "4096")).isEqualTo(4096);
        SinkCommand command = new SinkCommand();
        new CommandLine(command).parseArgs("--max-batch-wait", "later");
        assertThatThrownBy(command::config).hasMessageContaining("--max-batch-wait").hasMessageContaining("later");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).pollTimeout(Duration.ZERO).build()).hasMessageContaining("--poll-timeout");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).duckdbPath(Path.of("x.duckdb?access_mode=READ_ONLY")).build())
                .hasMessageContaining("--duckdb");
        assertThatThrownBy(() -> SinkConfig.parseLayers("raw,gold")).hasMessageContaining("--layers").hasMessageContaining("gold");
        assertThatThrownBy(() -> SinkConfig.parseDuration("--poll-timeout", "soon")).hasMessageContaining("--poll-timeout");
    }

    @Test
    void parsesLayersAndDurations() {
        assertThat(SinkConfig.parseLayers(" Raw, mart ")).isEqualTo(EnumSet.of(Layer.RAW, Layer.MART));
        assertThat(SinkConfig.parseLayers("all")).isEqualTo(EnumSet.allOf(Layer.class));
        assertThat(SinkConfig.parseDuration("x", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(SinkConfig.parseDuration("x", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(SinkConfig.parseDuration("x", "PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(SinkConfig.parseDuration("x", "1500")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theCommandsOptionsBecomeTheConfig() {
        SinkCommand command = new SinkCommand();
        new CommandLine(command).parseArgs("--duckdb", "/tmp/x.duckdb", "--group-id", "g1", "--max-poll-records", "100",
                "--max-batch-records", "5000", "--max-batch-bytes", "64KB", "--max-batch-wait", "300ms", "--poll-timeout", "1s", "--layers", "raw,dlq", "--kafka-bootstrap", "k:1", "--topic-prefix", "acme");

        SinkConfig config = command.config();

        assertThat(config.duckdbPath()).isEqualTo(Path.of("/tmp/x.duckdb"));
        assertThat(config.groupId()).isEqualTo("g1");
        assertThat(config.maxPollRecords()).isEqualTo(100);
        assertThat(config.batchLimits()).isEqualTo(new BatchLimits(5_000, 64 * 1024, Duration.ofMillis(300)));
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.layers()).containsExactlyInAnyOrder(Layer.RAW, Layer.DLQ);
        assertThat(config.kafka().bootstrap()).isEqualTo("k:1");
        assertThat(config.topics().prefix()).isEqualTo("acme");
    }

    @Test
    void theCommandsDefaultGroupFollowsThePrefix() {
        SinkCommand command = new SinkCommand();
        new CommandLine(command).parseArgs("--topic-prefix", "acme");

        assertThat(command.config().groupId()).isEqualTo("cdc-marts-sink-acme");
    }

    @Test
    void theReplicaOptionsBecomeTheConfig() {
        SinkCommand command = new SinkCommand();
        new CommandLine(command).parseArgs("--duckdb", "/data/sink.duckdb", "--replica", "/shared/marts.duckdb", "--replica-every", "5m");

        SinkConfig config = command.config();

        assertThat(config.replicaPath()).contains(Path.of("/shared/marts.duckdb"));
        assertThat(config.replicaEvery()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aBlankReplicaKeepsNone() {
        SinkCommand command = new SinkCommand();
        new CommandLine(command).parseArgs("--replica", " ");

        assertThat(command.config().replicaPath()).isEmpty();
    }

    @Test
    void badReplicaValuesNameTheirOption(@org.junit.jupiter.api.io.TempDir Path dir) {
        SinkCommand everyLater = new SinkCommand();
        new CommandLine(everyLater).parseArgs("--replica", "r.duckdb", "--replica-every", "later");
        assertThatThrownBy(everyLater::config).hasMessageContaining("--replica-every").hasMessageContaining("later");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).replicaEvery(Duration.ofMillis(500)).build())
                .hasMessageContaining("--replica-every").hasMessageContaining("between 1s and 24h");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).replicaEvery(Duration.ofDays(2)).build())
                .hasMessageContaining("--replica-every");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).duckdbPath(Path.of("data/x.duckdb"))
                .replicaPath(Path.of("data/../data/x.duckdb")).build())
                .hasMessageContaining("--replica").hasMessageContaining("the sink's own file");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).duckdbPath(Path.of("data/x.duckdb"))
                .replicaPath(Path.of("data/x.duckdb.wal")).build())
                .hasMessageContaining("--replica").hasMessageContaining("the sink's own file");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).replicaPath(Path.of("r.duckdb;access_mode=READ_ONLY")).build())
                .hasMessageContaining("--replica").hasMessageContaining("without ?/; options");
        assertThatThrownBy(() -> SinkConfig.builder(kafka).replicaPath(dir).build())
                .hasMessageContaining("--replica").hasMessageContaining("is a directory");
    }
}
