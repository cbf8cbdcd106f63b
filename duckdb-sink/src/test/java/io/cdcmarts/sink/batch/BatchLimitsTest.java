package io.cdcmarts.sink.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchLimitsTest {

    private final BatchLimits limits = new BatchLimits(3, 1_000, Duration.ofSeconds(2));

    private static Batch batchOf(int messages) {
        return batchOf(messages, 0);
    }

    private static Batch batchOf(int messages, int valueBytes) {
        Batch b = new Batch(Instant.EPOCH);
        for (int i = 0; i < messages; i++) {
            b.consumed(new SourceRecord("shop.raw.orders", 0, i, new byte[10], new byte[valueBytes]), "raw");
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
    void aBatchOfWideMessagesIsWrittenOnceItsBytesReachTheLimit() {
        assertThat(limits.due(batchOf(2, 489), Duration.ZERO, false)).isFalse(); // 998 bytes
        assertThat(limits.due(batchOf(2, 490), Duration.ZERO, false)).isTrue(); // 1,000 bytes
    }

    @Test
    void aSinkThatCaughtUpWritesAtOnce() {
        assertThat(limits.due(batchOf(1), Duration.ZERO, true)).isTrue();
    }

    @Test
    void aBatchHoldsAtLeastOneMessage() {
        assertThatThrownBy(() -> new BatchLimits(0, 1, Duration.ZERO)).hasMessageContaining("maxRecords");
        assertThatThrownBy(() -> new BatchLimits(1, 0, Duration.ZERO)).hasMessageContaining("maxBytes");
    }
}
