package io.cdcmarts.sink.assign;

import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which partitions the sink reads, found by listing the broker's topics: the sink assigns them to
 * itself instead of joining a consumer group. It keeps its offsets in DuckDB and is the only writer
 * of its file, so a group has nothing to give it; and a group would make a sink restarted after a
 * {@code kill -9} wait for the dead member's session to time out (~45 s) before it gets any partition.
 *
 * <p>Listing is due once per {@code refresh} (how soon a new table's topic is picked up), and at
 * every call while nothing matched yet, so the first topics are read as soon as they exist.
 */
public final class PartitionDiscovery {

    private final Pattern topics;
    private final long refreshNanos;
    private long lastListedAt;
    private boolean listed;

    /**
     * @param topics  the topics the sink reads
     * @param refresh how often the topics are listed again once some matched
     */
    public PartitionDiscovery(Pattern topics, Duration refresh) {
        this.topics = topics;
        this.refreshNanos = refresh.toNanos();
    }

    /** Whether the topics should be listed now, given what is assigned. */
    public boolean due(Set<TopicPartition> assigned, long nowNanos) {
        return !listed || assigned.isEmpty() || nowNanos - lastListedAt >= refreshNanos;
    }

    /** Notes that the topics were listed at {@code nowNanos} (listing or not, the next try waits a refresh). */
    public void listedAt(long nowNanos) {
        listed = true;
        lastListedAt = nowNanos;
    }

    /** Every partition of every listed topic the pattern matches in full. */
    public Set<TopicPartition> matching(Map<String, List<PartitionInfo>> listed) {
        Set<TopicPartition> partitions = new HashSet<>();
        listed.forEach((topic, infos) -> {
            if (topics.matcher(topic).matches() && infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        });
        return partitions;
    }
}
