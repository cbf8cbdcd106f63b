package io.cdcmarts.capture.position;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.postgres.SourceDatabase.ReplicationSlot;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotCheckTest {

    private static final String WHERE = "127.0.0.1:5432, database 'shop'";
    private final CaptureConfig config = CaptureConfig.builder(PgDsn.of("127.0.0.1", 5432, "shop", "u", "secret"),
            KafkaSettings.of("localhost:9092", "shop")).build();
    private final StoredOffset stored = new StoredOffset(0x1_006B_3748L, "Kafka topic shop.capture.offsets");

    private static Optional<ReplicationSlot> slot(String database, long restartLsn) {
        return Optional.of(new ReplicationSlot("cdc_marts_shop", database, "pgoutput", restartLsn));
    }

    @Test
    void aFirstStartOrAKeptSlotResumes() {
        assertThat(SlotCheck.of(config, WHERE, "shop", Optional.empty(), Optional.empty()).lost()).isEmpty();
        assertThat(SlotCheck.of(config, WHERE, "shop", slot("shop", 0x1_0000_00L), Optional.of(stored)).lost()).isEmpty();
        // Debezium's offset may be ahead of the slot (the slot is told after the offset is stored)
        assertThat(SlotCheck.of(config, WHERE, "shop", slot("shop", stored.lsn()), Optional.of(stored)).lost()).isEmpty();
    }

    @Test
    void aStoredPositionWithoutItsSlotIsLostAndSaidInOneLine() {
        String line = SlotCheck.of(config, WHERE, "shop", Optional.empty(), Optional.of(stored)).lost().orElseThrow();
        assertThat(line).doesNotContain("\n", "secret")
                .contains("replication slot 'cdc_marts_shop' is gone from PostgreSQL at " + WHERE)
                .contains("Kafka topic shop.capture.offsets is at LSN 1/6B3748")
                .contains("DuckDB keeps what it has")
                .contains("--on-missing-slot=resnapshot");
    }

    @Test
    void aSlotPastTheStoredPositionIsLostToo() {
        String line = SlotCheck.of(config, WHERE, "shop", slot("shop", 0x2_0000_0000L), Optional.of(stored)).lost().orElseThrow();
        assertThat(line).contains("keeps WAL only from LSN 2/0", "is at LSN 1/6B3748");
    }

    @Test
    void aSlotOfAnotherDatabaseNamesItAndTheOption() {
        assertThatThrownBy(() -> SlotCheck.of(config, WHERE, "shop", slot("crm", 1), Optional.empty()))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("replication slot 'cdc_marts_shop' already exists on PostgreSQL at " + WHERE)
                .hasMessageContaining("belongs to database 'crm'")
                .hasMessageContaining("--slot (env CDC_CAPTURE_SLOT), e.g. --slot cdc_marts_shop_shop");
    }

    @Test
    void theOptionNamesItselfWhenWrong() {
        assertThat(OnMissingSlot.parse("Resnapshot")).isEqualTo(OnMissingSlot.RESNAPSHOT);
        assertThat(OnMissingSlot.parse(null)).isEqualTo(OnMissingSlot.FAIL);
        assertThatThrownBy(() -> OnMissingSlot.parse("ignore")).hasMessage("--on-missing-slot 'ignore' is not one of fail, resnapshot");
    }
}
