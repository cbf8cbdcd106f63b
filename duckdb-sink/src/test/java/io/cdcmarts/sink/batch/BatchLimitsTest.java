package io.cdcmarts.sink.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchLimitsTest {

    private final BatchLimits limits = new BatchLimits(3, Duration.ofSeconds(2));

    private static Batch batchOf(int messages) {
        Batch b = new Batch(Instant.EPOCH);
        for (int i = 0; i < messages; i++) {
            b.consumed(new SourceRecord("shop.raw.orders", 0, i, null, null), "raw");
        }
        return b;
    }

    @Test
    void aSinkThatIsBehindKeepsFoldingUntilTheBatchIsFullOrOld() {
        assertThat(limits.due(batchOf(2), Duration.ofMillis(1_999), false)).isFalse();
        assertThat(limits.due(batchOf(3), Duration.ZERO, false)).isTrue();
        assertThat(limits.due(batchOf(1), Duration.ofSeconds(2), false)).isTrue();
    }

    @Test
    void aSinkThatCaughtUpWritesAtOnce() {
        assertThat(limits.due(batchOf(1), Duration.ZERO, true)).isTrue();
    }

    @Test
    void aBatchHoldsAtLeastOneMessage() {
        assertThatThrownBy(() -> new BatchLimits(0, Duration.ZERO)).hasMessageContaining("maxRecords");
    }
}
