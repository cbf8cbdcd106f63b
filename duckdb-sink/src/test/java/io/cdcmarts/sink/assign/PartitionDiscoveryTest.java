package io.cdcmarts.sink.assign;

import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionDiscoveryTest {

    private static final long SECOND = 1_000_000_000L;
    private final PartitionDiscovery discovery = new PartitionDiscovery(Pattern.compile("shop\\.raw\\.[^.]+"), Duration.ofSeconds(10));

    private static List<PartitionInfo> partitions(String topic, int n) {
        Node none = Node.noNode();
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(p -> new PartitionInfo(topic, p, none, new Node[0], new Node[0])).toList();
    }

    @Test
    void everyPartitionOfEveryTopicMatchedInFullIsTaken() {
        // Given topics of the prefix, of another prefix, and one the pattern only matches in part
        Map<String, List<PartitionInfo>> listed = Map.of(
                "shop.raw.orders", partitions("shop.raw.orders", 2),
                "shop.raw.customers", partitions("shop.raw.customers", 1),
                "other.raw.orders", partitions("other.raw.orders", 1),
                "shop.raw.orders.extra", partitions("shop.raw.orders.extra", 1),
                "__consumer_offsets", partitions("__consumer_offsets", 3));

        // When / Then
        assertThat(discovery.matching(listed)).containsExactlyInAnyOrder(
                new TopicPartition("shop.raw.orders", 0), new TopicPartition("shop.raw.orders", 1),
                new TopicPartition("shop.raw.customers", 0));
    }

    @Test
    void listingIsDueAtOnceWhileNothingIsAssignedAndOncePerRefreshAfter() {
        Set<TopicPartition> some = Set.of(new TopicPartition("shop.raw.orders", 0));
        // Given nothing listed yet: due
        assertThat(discovery.due(some, 0)).isTrue();
        // When listed with partitions assigned: not due again before the refresh is over
        discovery.listedAt(100 * SECOND);
        assertThat(discovery.due(some, 105 * SECOND)).isFalse();
        assertThat(discovery.due(some, 110 * SECOND)).isTrue();
        // Then with nothing assigned (no topic yet) it is due at every call, so the first topic is read at once
        assertThat(discovery.due(Set.of(), 100 * SECOND + 1)).isTrue();
    }
}
