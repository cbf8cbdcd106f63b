package io.cdcmarts.common.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a consumer group stands on its partitions, as the brokers see it at one moment: what it
 * committed, and where each partition begins and ends. Read by {@link PartitionOffsets}.
 *
 * @param committed the group's committed offsets; a partition it never committed on is absent
 * @param start     first offsets, of at least the partitions absent from {@code committed}
 * @param end       end offsets of every partition the group reads or has committed on
 */
public record GroupOffsets(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> start,
                           Map<TopicPartition, Long> end) {

    /** Topic, then partition, so logs list the partitions behind the same way each time. */
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public GroupOffsets {
        committed = Map.copyOf(committed);
        start = Map.copyOf(start);
        end = Map.copyOf(end);
    }

    /**
     * Where the group reads {@code tp} next: its committed offset, or the partition's first offset
     * when it never committed there, so a topic nobody has consumed yet is behind, not absent.
     */
    public long position(TopicPartition tp) {
        Long at = committed.get(tp);
        return at != null ? at : start.getOrDefault(tp, 0L);
    }

    /** Messages (and transaction markers) between the group's position and the end of {@code tp}. */
    public long lag(TopicPartition tp) {
        return Math.max(0, end.getOrDefault(tp, 0L) - position(tp));
    }

    /** The partitions short of their end, each with the group's position in it. */
    public Map<TopicPartition, Long> behind() {
        Map<TopicPartition, Long> out = new TreeMap<>(ORDER);
        end.keySet().forEach(tp -> {
            if (lag(tp) > 0) {
                out.put(tp, position(tp));
            }
        });
        return out;
    }

    /** True when the group has committed the end of every partition. */
    public boolean caughtUp() {
        return behind().isEmpty();
    }

    /** Lag summed over each topic's partitions; every topic is there, caught up or not. */
    public Map<String, Long> lagByTopic() {
        Map<String, Long> out = new TreeMap<>();
        end.keySet().forEach(tp -> out.merge(tp.topic(), lag(tp), Long::sum));
        return out;
    }
}
