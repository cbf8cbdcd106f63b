package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureConfigTest {

    private static final PgDsn PG = PgDsn.parse("postgresql://postgres:pw@localhost:5432/shop");
    private static final KafkaSettings KAFKA = KafkaSettings.of("localhost:9092", "shop");

    @Test
    void defaults() {
        CaptureConfig c = CaptureConfig.builder(PG, KAFKA).build();

        assertThat(c.schema()).isEqualTo("public");
        assertThat(c.tables()).isEmpty();
        assertThat(c.wholeSchema()).isTrue();
        assertThat(c.publication()).isEqualTo("cdc_marts_shop");
        assertThat(c.slot()).isEqualTo("cdc_marts_shop");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.heartbeatActionQuery()).isNull();
        assertThat(c.snapshotMode()).isEqualTo("initial");
        assertThat(c.offsetsInKafka()).isTrue();
        assertThat(c.offsetFlushInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.publicationRefresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.debezium()).isEmpty();
        assertThat(c.snapshotThreads()).isEqualTo(1);
        assertThat(c.incrementalInitialSnapshot()).isFalse();
        assertThat(c.debeziumSnapshotMode()).isEqualTo("initial");
    }

    @Test
    void incrementalSnapshotModeStreamsFromTheStartAndNeedsTheSignalTable() {
        CaptureConfig c = CaptureConfig.builder(PG, KAFKA).snapshotMode("Incremental").build();

        assertThat(c.snapshotMode()).isEqualTo("incremental");
        assertThat(c.incrementalInitialSnapshot()).isTrue();
        assertThat(c.debeziumSnapshotMode()).as("Debezium takes no snapshot itself").isEqualTo("no_data");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).snapshotMode("incremental").signalTable(null).build())
                .hasMessageContaining("--snapshot-mode incremental").hasMessageContaining("--signal-table is none");
    }

    @Test
    void snapshotThreadsAreBounded() {
        assertThat(CaptureConfig.builder(PG, KAFKA).snapshotThreads(4).build().snapshotThreads()).isEqualTo(4);
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).snapshotThreads(0).build())
                .hasMessageContaining("--snapshot-threads").hasMessageContaining("got 0");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).snapshotThreads(17).build())
                .hasMessageContaining("--snapshot-threads must be 1 to 16");
    }

    @Test
    void defaultSlotAndPublicationNamesAreSanitizedFromThePrefix() {
        assertThat(CaptureConfig.defaultName("Shop-EU.v2")).isEqualTo("cdc_marts_shop_eu_v2");
        assertThat(CaptureConfig.defaultName("x".repeat(100))).hasSize(63);
    }

    @Test
    void invalidValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> CaptureConfig.builder(null, KAFKA).build()).hasMessageContaining("--pg-url");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).schema(" ").build()).hasMessageContaining("--schema");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).tables(List.of("orders", "bad.name")).build())
                .hasMessageContaining("--tables").hasMessageContaining("bad.name");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).slot("Bad-Slot").build()).hasMessageContaining("--slot");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).publication("no spaces").build())
                .hasMessageContaining("--publication");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).heartbeatInterval(Duration.ofMillis(-1)).build())
                .hasMessageContaining("--heartbeat-ms");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).heartbeatInterval(Duration.ZERO)
                .heartbeatActionQuery("UPDATE hb SET at = now()").build())
                .hasMessageContaining("--heartbeat-action-query");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).snapshotMode("sometimes").build())
                .hasMessageContaining("--snapshot-mode").hasMessageContaining("initial");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).offsetFlushInterval(Duration.ZERO).build())
                .hasMessageContaining("--offset-flush-ms");
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KAFKA).publicationRefresh(Duration.ZERO).build())
                .hasMessageContaining("--publication-refresh-ms").hasMessageContaining("positive");
    }

    @Test
    void includeListKeepsOrderWithoutDuplicates() {
        CaptureConfig c = CaptureConfig.builder(PG, KAFKA).tables(List.of("orders", "customers", "orders"))
                .snapshotMode("NO_DATA").debezium(Map.of("snapshot.fetch.size", "100")).build();

        assertThat(c.tables()).containsExactly("orders", "customers");
        assertThat(c.wholeSchema()).isFalse();
        assertThat(c.snapshotMode()).isEqualTo("no_data");
    }
}
