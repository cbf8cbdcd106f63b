package io.cdcmarts.processor.reprocess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import static io.cdcmarts.processor.reprocess.StreamsApplication.get;

/**
 * The end offset (high watermark: every record written so far, committed or not) of each partition
 * of some topics.
 */
final class EndOffsets {

    private EndOffsets() {
    }

    static Map<TopicPartition, Long> of(Admin admin, Collection<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described.forEach((topic, d) -> d.partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all())
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
