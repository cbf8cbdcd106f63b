package io.cdcmarts.app;

import io.cdcmarts.common.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How far each stage of a pipeline got, read from the broker: what capture wrote (the raw topics'
 * end offsets) and what the processor and the sink committed (their groups' offsets). A stage
 * works when its position moves; a test that faults a service waits for that. Empty while the
 * broker does not answer.
 */
final class PipelinePositions implements AutoCloseable {

    private final Admin admin;
    private final Pattern raw;
    private final String processorGroup;
    private final String sinkGroup;

    PipelinePositions(String bootstrap, TopicNames topics, String processorGroup, String sinkGroup) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
        this.raw = topics.pattern(TopicNames.Layer.RAW);
        this.processorGroup = processorGroup;
        this.sinkGroup = sinkGroup;
    }

    /** The stages of the pipeline, by the position that shows each one working. */
    enum Stage {
        CAPTURE, PROCESSOR, SINK
    }

    /** The stage's position now, or empty when the broker does not answer. */
    OptionalLong position(Stage stage) {
        return ask(() -> OptionalLong.of(stage == Stage.CAPTURE ? rawEndOffsets()
                : committed(group(stage)).values().stream().mapToLong(Long::longValue).sum()));
    }

    /** Whether the stage's position is past {@code before} (a position read earlier). */
    boolean movedPast(Stage stage, long before) {
        OptionalLong now = position(stage);
        return now.isPresent() && now.getAsLong() > before;
    }

    /**
     * How many messages the processor or the sink has yet to read, from its group's committed
     * offsets to the committed end of each of those partitions (a transaction's marker and aborted
     * records count as read); empty while the broker does not answer or before the first commit.
     */
    OptionalLong lag(Stage stage) {
        String group = group(stage);
        return ask(() -> {
            Map<TopicPartition, Long> committed = committed(group);
            if (committed.isEmpty()) {
                return OptionalLong.empty();
            }
            var latest = committed.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(5, TimeUnit.SECONDS);
            return OptionalLong.of(committed.entrySet().stream()
                    .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue())).sum());
        });
    }

    /** A question to the broker; {@link #ask} turns its failures into "no answer". */
    private interface BrokerQuery {
        OptionalLong answer() throws ExecutionException, InterruptedException, TimeoutException;
    }

    private static OptionalLong ask(BrokerQuery query) {
        try {
            return query.answer();
        } catch (ExecutionException | TimeoutException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private String group(Stage stage) {
        return switch (stage) {
            case CAPTURE -> throw new IllegalArgumentException("capture commits no consumer offsets");
            case PROCESSOR -> processorGroup;
            case SINK -> sinkGroup;
        };
    }

    private long rawEndOffsets() throws ExecutionException, InterruptedException, TimeoutException {
        var rawTopics = admin.listTopics().names().get(5, TimeUnit.SECONDS).stream()
                .filter(t -> raw.matcher(t).matches()).toList();
        var partitions = admin.describeTopics(rawTopics).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    /** The group's committed offset of every partition it committed one for. */
    private Map<TopicPartition, Long> committed(String group) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        admin.close();
    }
}
