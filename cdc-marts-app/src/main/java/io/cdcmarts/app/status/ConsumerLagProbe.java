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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Consumer lag from the broker's point of view: committed offsets of a group against the end
 * offsets of the same partitions. The sink keeps its real positions in DuckDB and commits the same
 * offsets to Kafka after each batch for exactly this purpose.
 */
final class ConsumerLagProbe {

    private final Admin admin;
    private final Duration timeout;

    ConsumerLagProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    GroupLag read(String group, String role) {
        try {
            String state = describe(group);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            committed.keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(ends).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Long> lag = new TreeMap<>();
            committed.forEach((tp, offset) -> {
                if (offset != null) {
                    long behind = Math.max(0, end.get(tp).offset() - offset.offset());
                    lag.merge(tp.topic(), behind, Long::sum);
                }
            });
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

    private String describe(String group) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(group)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ConsumerGroupDescription d = groups.get(group);
        return d == null ? "UNKNOWN" : d.groupState().toString();
    }
}
