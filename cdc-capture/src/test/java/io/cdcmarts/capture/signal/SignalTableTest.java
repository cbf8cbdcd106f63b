package io.cdcmarts.capture.signal;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.engine.DebeziumProperties;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignalTableTest {

    private static final PgDsn PG = PgDsn.parse("postgresql://cdc:secret@db:5432/shop");

    @Test
    void theDefaultIsOnePerPrefixInASchemaOfItsOwn() {
        assertThat(SignalTable.parse(null, "shop")).isEqualTo(new SignalTable("cdc_marts", "signal_shop"));
        assertThat(SignalTable.parse(" ", "My-Shop")).isEqualTo(new SignalTable("cdc_marts", "signal_my_shop"));
        assertThat(SignalTable.parse("ops.signals", "shop").qualified()).isEqualTo("ops.signals");
        assertThat(SignalTable.parse("NONE", "shop")).isNull();
    }

    @Test
    void aBadNameSaysWhichOptionAndWhy() {
        assertThatThrownBy(() -> SignalTable.parse("signals", "shop"))
                .hasMessageContaining("--signal-table 'signals' must be schema.table");
        assertThatThrownBy(() -> SignalTable.parse("a.b.c", "shop")).hasMessageContaining("must be schema.table");
        assertThatThrownBy(() -> SignalTable.parse("ops.Sig-nals", "shop"))
                .hasMessageContaining("--signal-table: 'Sig-nals' is not a name");
    }

    @Test
    void theCapturedSchemaCannotHoldIt() {
        assertThatThrownBy(() -> CaptureConfig.builder(PG, KafkaSettings.of("k:9092", "shop"))
                .signalTable(new SignalTable("public", "signals")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--signal-table public.signals is in the captured schema 'public'");
    }

    @Test
    void debeziumReadsSignalsFromItOnlyWhenThereIsOne() {
        Properties on = DebeziumProperties.of(CaptureConfig.builder(PG, KafkaSettings.of("k:9092", "shop")).build(),
                List.of(), true);
        assertThat(on).containsEntry("signal.data.collection", "cdc_marts.signal_shop")
                .containsEntry("signal.enabled.channels", "source")
                .containsEntry("incremental.snapshot.chunk.size", "10240");

        Properties off = DebeziumProperties.of(CaptureConfig.builder(PG, KafkaSettings.of("k:9092", "shop"))
                .signalTable(null).build(), List.of(), true);
        assertThat(off).doesNotContainKeys("signal.data.collection", "signal.enabled.channels");

        // configured, but capture's user could not create or use it: Debezium must not look for it
        Properties unusable = DebeziumProperties.of(CaptureConfig.builder(PG, KafkaSettings.of("k:9092", "shop")).build(),
                List.of(), true, null);
        assertThat(unusable).doesNotContainKeys("signal.data.collection", "signal.enabled.channels",
                "incremental.snapshot.chunk.size");
    }
}
