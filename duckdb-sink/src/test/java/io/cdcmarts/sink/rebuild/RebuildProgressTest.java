package io.cdcmarts.sink.rebuild;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RebuildProgressTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final TopicPartition raw0 = new TopicPartition("shop.raw.orders", 0);
    private final TopicPartition raw1 = new TopicPartition("shop.raw.orders", 1);
    private final TopicPartition mart = new TopicPartition("shop.mart.kpis", 0);
    private final TopicPartition empty = new TopicPartition("shop.stg.orders", 0);

    private RebuildProgress progress() {
        // raw: 1000 + 500 offsets; mart: 100 (its log starts at 20 after retention); stg: empty
        return new RebuildProgress(Map.of(raw0, 0L, raw1, 0L, mart, 20L, empty, 7L),
                Map.of(raw0, 1000L, raw1, 500L, mart, 120L, empty, 7L),
                topic -> topic.split("\\.")[1], T0);
    }

    @Test
    void anEmptyPartitionIsFinishedFromTheStartAndTheRestWhenTheyReachTheirTarget() {
        RebuildProgress p = progress();
        assertThat(p.finished()).containsExactly(empty);
        assertThat(p.done()).isFalse();

        p.position(raw0, 1000);
        p.position(raw1, 499);
        p.position(mart, 121); // past the target: records written since the start
        assertThat(p.unfinished()).containsExactly(raw1);

        p.position(raw1, 500);
        assertThat(p.done()).isTrue();
        assertThat(p.consumed()).isEqualTo(p.total()).isEqualTo(1600);
    }

    @Test
    void reportsEachLayersShareRateSinceTheLastReportAndTimeLeft() {
        RebuildProgress p = progress();
        p.position(raw0, 300);
        p.position(mart, 120);

        String first = p.report(T0.plusSeconds(3));

        assertThat(first).isEqualTo("rebuild 3s:  mart 100/100 (100%)  raw 300/1500 (20%) 100/s ETA 12s  stg 0/0 (100%)");
        p.position(raw0, 1000);
        p.position(raw1, 100);
        assertThat(p.report(T0.plusSeconds(5))).contains("raw 1100/1500 (73%) 400/s ETA 1s");
    }

    @Test
    void aLayerThatHasNotMovedHasNoEta() {
        assertThat(progress().report(T0.plusSeconds(5))).contains("raw 0/1500 (0%) 0/s ETA ?");
    }

    @Test
    void formatsDurationsForPeople() {
        assertThat(RebuildProgress.format(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(RebuildProgress.format(Duration.ofSeconds(125))).isEqualTo("2m05s");
        assertThat(RebuildProgress.format(Duration.ofMinutes(135))).isEqualTo("2h15m");
    }

    @Test
    void startAndTargetMustCoverTheSamePartitions() {
        assertThatThrownBy(() -> new RebuildProgress(Map.of(raw0, 0L), Map.of(raw1, 5L), t -> "raw", T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
