package io.cdcmarts.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Reads a consumer group's offsets against the partitions of the topics it is meant to read,
 * through the Admin API: what {@code status} reports as lag and what {@code local}'s drain waits
 * out. Each Admin call waits at most {@code timeout}; the exceptions are the futures' own, so a
 * caller can tell a missing group ({@code GroupIdNotFoundException} as the cause) from a broker
 * that does not answer.
 */
public final class PartitionOffsets {

    private final Admin admin;
    private final IsolationLevel isolation;
    private final Duration timeout;

    /**
     * @param isolation which end offsets count: READ_COMMITTED for the last stable offset (what a
     *                  read_committed consumer can reach), READ_UNCOMMITTED for the high watermark
     *                  (records of open transactions count as not consumed yet)
     */
    public PartitionOffsets(Admin admin, IsolationLevel isolation, Duration timeout) {
        this.admin = admin;
        this.isolation = isolation;
        this.timeout = timeout;
    }

    /**
     * The group on every partition of {@code topics} and on every other partition it has committed
     * on (a Streams application commits on its internal topics too). The committed offsets are read
     * before the end offsets, so a group that has caught up with the ends has caught up with
     * everything written before this call.
     */
    public GroupOffsets read(String group, Pattern topics) throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, Long> committed = committed(group);
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        partitions.addAll(partitionsOf(topics));
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Set<TopicPartition> neverCommitted = new HashSet<>(partitions);
        neverCommitted.removeAll(committed.keySet());
        Map<TopicPartition, Long> start = offsets(neverCommitted, OffsetSpec.earliest());
        return new GroupOffsets(committed, start, end);
    }

    private Map<TopicPartition, Long> committed(String group) throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    private Set<TopicPartition> partitionsOf(Pattern topics) throws ExecutionException, TimeoutException, InterruptedException {
        List<String> names = get(admin.listTopics().names()).stream().filter(t -> topics.matcher(t).matches()).toList();
        Set<TopicPartition> out = new HashSet<>();
        if (!names.isEmpty()) {
            get(admin.describeTopics(names).allTopicNames()).values()
                    .forEach(d -> d.partitions().forEach(p -> out.add(new TopicPartition(d.name(), p.partition()))));
        }
        return out;
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        get(admin.listOffsets(request, new ListOffsetsOptions(isolation)).all()).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private <T> T get(KafkaFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
