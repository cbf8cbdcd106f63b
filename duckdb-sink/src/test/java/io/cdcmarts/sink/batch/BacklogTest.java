package io.cdcmarts.sink.batch;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogTest {

    @Test
    void aFewMessagesWaitingInManyPartitionsAreNoBacklog() {
        Backlog b = new Backlog();
        for (int p = 0; p < 40; p++) {
            b.add(OptionalLong.of(1)); // a message or two left behind by each fetch
        }
        assertThat(b.waiting()).isEqualTo(40);
        assertThat(b.behind(20_000)).isFalse();
    }

    @Test
    void moreWaitingThanOnePollTakesIsBehind() {
        Backlog b = new Backlog().add(OptionalLong.of(15_000)).add(OptionalLong.of(5_001));
        assertThat(b.behind(20_000)).isTrue();
        assertThat(new Backlog().add(OptionalLong.of(20_000)).behind(20_000)).isFalse();
    }

    @Test
    void anUnknownLagCountsAsNone() {
        Backlog b = new Backlog().add(OptionalLong.empty()).add(OptionalLong.of(3));
        assertThat(b.waiting()).isEqualTo(3);
        assertThat(b.behind(2)).isTrue();
        assertThat(new Backlog().add(OptionalLong.empty()).behind(0)).isFalse();
    }
}
