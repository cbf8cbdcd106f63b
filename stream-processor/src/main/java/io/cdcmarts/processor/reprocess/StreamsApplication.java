package io.cdcmarts.processor.reprocess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * What Kafka holds of one Kafka Streams application besides its input and output topics: its group
 * (members, committed offsets) and its internal topics. Both kinds of group are handled: the
 * classic consumer group Streams uses by default, and the {@code streams} group of
 * {@code group.protocol=streams}.
 */
public final class StreamsApplication {

    private final Admin admin;
    private final String applicationId;
    private final Set<String> internalTopicNames;

    /** @param internalTopicNames the names its internal topics have ({@link InternalTopics}) */
    public StreamsApplication(Admin admin, String applicationId, Set<String> internalTopicNames) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.internalTopicNames = Set.copyOf(internalTopicNames);
    }

    public String applicationId() {
        return applicationId;
    }

    /** The internal topics that exist now. */
    public Set<String> internalTopics() {
        return Set.copyOf(get(admin.listTopics().names()).stream()
                .filter(internalTopicNames::contains).toList());
    }

    /** The members of the application's group now: instances of the application that are running. */
    public int activeMembers() {
        Optional<GroupType> type = groupType();
        if (type.isEmpty()) {
            return 0;
        }
        try {
            if (type.get() == GroupType.STREAMS) {
                return get(admin.describeStreamsGroups(List.of(applicationId)).describedGroups().get(applicationId)).members().size();
            }
            return get(admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)).members().size();
        } catch (GroupIdNotFoundException e) {
            return 0;
        }
    }

    /** The group's committed offsets (none when the group does not exist). */
    public Map<TopicPartition, Long> committedOffsets() {
        Optional<GroupType> type = groupType();
        if (type.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = type.get() == GroupType.STREAMS
                    ? get(admin.listStreamsGroupOffsets(Map.of(applicationId, new ListStreamsGroupOffsetsSpec()))
                    .partitionsToOffsetAndMetadata(applicationId))
                    : get(admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata());
        } catch (GroupIdNotFoundException e) {
            return Map.of();
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                committed.put(tp, om.offset());
            }
        });
        return committed;
    }

    /**
     * Resets the application on the broker: deletes its internal topics (waiting until they are
     * gone, so Streams can create them afresh) and its group with the committed offsets. The local
     * state is {@code KafkaStreams.cleanUp()}'s job.
     */
    public Set<String> reset(Duration timeout) {
        Set<String> internal = internalTopics();
        if (!internal.isEmpty()) {
            try {
                get(admin.deleteTopics(internal).all());
            } catch (UnknownTopicOrPartitionException e) {
                // deleted meanwhile: what we wanted
            }
            Instant deadline = Instant.now().plus(timeout);
            while (internalTopics().stream().anyMatch(internal::contains)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the internal topics of " + applicationId + " were not deleted within " + timeout);
                }
                pause();
            }
        }
        Optional<GroupType> type = groupType();
        if (type.isPresent()) {
            try {
                get(type.get() == GroupType.STREAMS
                        ? admin.deleteStreamsGroups(List.of(applicationId)).all()
                        : admin.deleteConsumerGroups(List.of(applicationId)).all());
            } catch (GroupIdNotFoundException e) {
                // nothing committed yet: nothing to delete
            }
        }
        return internal;
    }

    private Optional<GroupType> groupType() {
        Predicate<GroupListing> ours = g -> g.groupId().equals(applicationId);
        return get(admin.listGroups().all()).stream().filter(ours).findFirst()
                .map(g -> g.type().orElse(GroupType.CLASSIC));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits for an admin result; a Kafka error is rethrown as itself, so callers can catch it by type. */
    static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
