package io.cdcmarts.app.status;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Consumer lag from the broker's point of view: committed offsets of a group against the end
 * offsets of every partition of the topics the group is meant to read. A partition the group has
 * never committed counts from its first offset: a topic nobody has consumed yet is behind, not
 * absent. The sink keeps its real positions in DuckDB and commits the same offsets to Kafka after
 * each batch for exactly this purpose.
 */
final class ConsumerLagProbe {

    private final Admin admin;
    private final Duration timeout;

    ConsumerLagProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * @param reads the topics the group is meant to read (e.g. the sink's subscription); committed
     *              offsets of other topics (the processor's internal ones) count too
     */
    GroupLag read(String group, String role, Pattern reads) {
        try {
            String state = describe(group);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
            partitions.addAll(partitionsOf(reads));
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
            Map<String, Long> lag = new TreeMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = committed.get(tp);
                long position = offset == null ? start.getOrDefault(tp, 0L) : offset.offset();
                lag.merge(tp.topic(), Math.max(0, end.getOrDefault(tp, 0L) - position), Long::sum);
            }
            return new GroupLag(group, role, state, lag, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new GroupLag(group, role, "UNKNOWN", Map.of(), "no such consumer group (has the " + role + " run yet?)");
            }
            return new GroupLag(group, role, "UNKNOWN", Map.of(), String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            return new GroupLag(group, role, "UNKNOWN", Map.of(), "no answer from Kafka within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GroupLag(group, role, "UNKNOWN", Map.of(), "interrupted");
        }
    }

    private Set<TopicPartition> partitionsOf(Pattern topics) throws ExecutionException, InterruptedException, TimeoutException {
        List<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                .filter(t -> topics.matcher(t).matches()).toList();
        Set<TopicPartition> out = new HashSet<>();
        admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()
                .forEach(d -> d.partitions().forEach(p -> out.add(new TopicPartition(d.name(), p.partition()))));
        return out;
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = admin.listOffsets(request).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        answer.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private String describe(String group) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(group)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ConsumerGroupDescription d = groups.get(group);
        return d == null ? "UNKNOWN" : d.groupState().toString();
    }
}
