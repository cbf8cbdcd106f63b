package io.cdcmarts.app.status;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far one consumer group is behind the end of the topics it has committed offsets for.
 *
 * @param group      consumer group (the sink's group, the processor's application id)
 * @param role       what the group is, for people: "sink" or "processor"
 * @param state      the group's state as the broker reports it (STABLE, EMPTY, DEAD, …)
 * @param lagByTopic messages between the committed offset and the end, summed over partitions
 * @param error      why the lag could not be read, or null
 */
public record GroupLag(String group, String role, String state, Map<String, Long> lagByTopic, String error) {

    public GroupLag {
        // Sorted by topic name, so the report reads the same way each time.
        lagByTopic = lagByTopic == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(lagByTopic));
    }

    /** Total lag over every topic. */
    public long total() {
        return lagByTopic.values().stream().mapToLong(Long::longValue).sum();
    }
}
