package io.cdcmarts.common.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroupOffsetsTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("shop.raw.orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("shop.raw.orders", 1);
    private static final TopicPartition DLQ_0 = new TopicPartition("shop.dlq.orders", 0);

    @Test
    void aGroupAtTheEndOfEveryPartitionHasCaughtUp() {
        GroupOffsets group = new GroupOffsets(Map.of(ORDERS_0, 10L, ORDERS_1, 4L), Map.of(), Map.of(ORDERS_0, 10L, ORDERS_1, 4L));

        assertThat(group.caughtUp()).isTrue();
        assertThat(group.behind()).isEmpty();
        assertThat(group.lagByTopic()).containsExactly(Map.entry("shop.raw.orders", 0L));
    }

    @Test
    void aPartitionShortOfItsEndIsBehindAtTheCommittedOffset() {
        GroupOffsets group = new GroupOffsets(Map.of(ORDERS_0, 7L, ORDERS_1, 4L), Map.of(), Map.of(ORDERS_0, 10L, ORDERS_1, 4L));

        assertThat(group.caughtUp()).isFalse();
        assertThat(group.behind()).containsExactly(Map.entry(ORDERS_0, 7L));
        assertThat(group.lag(ORDERS_0)).isEqualTo(3);
        assertThat(group.lagByTopic()).containsExactly(Map.entry("shop.raw.orders", 3L));
    }

    @Test
    void aPartitionNeverCommittedCountsFromItsFirstOffsetNotFromZero() {
        // Given a dead-letter partition whose first 5 messages retention deleted, never consumed
        GroupOffsets group = new GroupOffsets(Map.of(ORDERS_0, 10L), Map.of(DLQ_0, 5L), Map.of(ORDERS_0, 10L, DLQ_0, 8L));

        assertThat(group.position(DLQ_0)).isEqualTo(5);
        assertThat(group.behind()).containsExactly(Map.entry(DLQ_0, 5L));
        assertThat(group.lagByTopic()).containsExactly(Map.entry("shop.dlq.orders", 3L), Map.entry("shop.raw.orders", 0L));
    }

    @Test
    void anEmptyPartitionNeverCommittedIsNotBehind() {
        GroupOffsets group = new GroupOffsets(Map.of(), Map.of(DLQ_0, 0L), Map.of(DLQ_0, 0L));

        assertThat(group.caughtUp()).isTrue();
        assertThat(group.lagByTopic()).containsExactly(Map.entry("shop.dlq.orders", 0L));
    }

    @Test
    void aCommittedOffsetPastTheEndIsNoNegativeLag() {
        // A topic deleted and created again starts over at 0 while the group's old commit stays.
        GroupOffsets group = new GroupOffsets(Map.of(ORDERS_0, 12L), Map.of(), Map.of(ORDERS_0, 10L));

        assertThat(group.lag(ORDERS_0)).isZero();
        assertThat(group.caughtUp()).isTrue();
    }
}
