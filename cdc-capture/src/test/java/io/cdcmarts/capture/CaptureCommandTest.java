package io.cdcmarts.capture;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureCommandTest {

    private static CaptureCommand parse(String... args) {
        CaptureCommand command = new CaptureCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void optionsBecomeTheConfig() {
        CaptureConfig c = parse("--pg-url", "postgresql://u:p@pg:5432/shop", "--kafka-bootstrap", "k:9092",
                "--topic-prefix", "eu", "--schema", "sales", "--tables", "orders,order_items",
                "--publication", "pub1", "--slot", "slot1", "--heartbeat-ms", "2500",
                "--heartbeat-action-query", "SELECT 1", "--snapshot-mode", "no_data",
                "--offsets-file", "/tmp/o.dat", "--offset-flush-ms", "1000",
                "--debezium", "snapshot.fetch.size=500", "--debezium", "max.batch.size=100").toConfig();

        assertThat(c.postgres().host()).isEqualTo("pg");
        assertThat(c.kafka().bootstrap()).isEqualTo("k:9092");
        assertThat(c.kafka().topics().prefix()).isEqualTo("eu");
        assertThat(c.schema()).isEqualTo("sales");
        assertThat(c.tables()).containsExactly("orders", "order_items");
        assertThat(c.publication()).isEqualTo("pub1");
        assertThat(c.slot()).isEqualTo("slot1");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.heartbeatActionQuery()).isEqualTo("SELECT 1");
        assertThat(c.snapshotMode()).isEqualTo("no_data");
        assertThat(c.offsetsFile()).isEqualTo(Path.of("/tmp/o.dat"));
        assertThat(c.offsetFlushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.debezium()).isEqualTo(Map.of("snapshot.fetch.size", "500", "max.batch.size", "100"));
    }

    @Test
    void defaultsWithOnlyTheAddresses() {
        CaptureConfig c = parse("--pg-url", "jdbc:postgresql://pg/shop?user=u&password=p").toConfig();

        assertThat(c.schema()).isEqualTo("public");
        assertThat(c.wholeSchema()).isTrue();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.snapshotMode()).isEqualTo("initial");
        assertThat(c.offsetsInKafka()).isTrue();
    }

    @Test
    void missingOrBadUrlNamesTheOptionWithoutThePassword() {
        assertThatThrownBy(() -> parse().toConfig()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--pg-url");
        assertThatThrownBy(() -> parse("--pg-url", "mysql://u:hunter2@h/db").toConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--pg-url")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void helpListsTheOptionsWithTheirEnvironmentVariables() {
        String usage = new CommandLine(new CaptureCommand()).getUsageMessage();

        assertThat(usage).contains("--pg-url", "CDC_PG_URL", "--kafka-bootstrap", "--schema", "--tables",
                "--publication", "--slot", "--heartbeat-ms", "--heartbeat-action-query", "--snapshot-mode",
                "--offsets-file", "--debezium", "CDC_CAPTURE_HEARTBEAT_MS");
    }
}
