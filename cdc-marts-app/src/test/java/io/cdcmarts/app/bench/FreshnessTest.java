package io.cdcmarts.app.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FreshnessTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aLevelLagHasItsPercentilesAndNoSlope() {
        // Given 100 markers one second apart, each seen 0.5 s after its commit except one at 3 s
        long[] committed = new long[100];
        long[] seen = new long[100];
        for (int k = 0; k < 100; k++) {
            committed[k] = 1_000 * S + k * S;
            seen[k] = committed[k] + (k == 40 ? 3 * S : S / 2);
        }

        Freshness f = Freshness.of(committed, seen);

        assertThat(f.seen()).isEqualTo(100);
        assertThat(f.p50()).isEqualTo(0.5);
        assertThat(f.p99()).isEqualTo(0.5);
        assertThat(f.max()).isEqualTo(3.0);
        assertThat(f.slope()).isCloseTo(0.0, within(0.001));
        assertThat(f.bounded()).isTrue();
    }

    @Test
    void aPipelineThatFallsBehindHasTheSlopeOfWhatItCannotTake() {
        // Given freshness growing by 0.3 s per second of run (it takes 70 % of the offered rate)
        long[] committed = new long[60];
        long[] seen = new long[60];
        for (int k = 0; k < 60; k++) {
            committed[k] = k * S;
            seen[k] = committed[k] + S / 10 + (long) (0.3 * k * S);
        }

        Freshness f = Freshness.of(committed, seen);

        assertThat(f.slope()).isCloseTo(0.3, within(0.001));
        assertThat(f.bounded()).isFalse();
        assertThat(f.max()).isCloseTo(0.1 + 0.3 * 59, within(0.001));
    }

    @Test
    void markersNeverSeenAreLeftOutAndNoneSeenIsNaN() {
        long[] committed = {0, S, 2 * S};

        assertThat(Freshness.of(committed, new long[]{S, 0, 3 * S}).seen()).isEqualTo(2);
        assertThat(Freshness.of(committed, new long[]{S, 0, 3 * S}).p50()).isEqualTo(1.0);
        assertThat(Freshness.of(committed, new long[3]).p50()).isNaN();
    }
}
