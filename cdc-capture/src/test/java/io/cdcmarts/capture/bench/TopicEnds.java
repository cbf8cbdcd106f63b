package io.cdcmarts.capture.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Arrival in Kafka: a topic's end offset, read through the admin client (no message is read). */
final class TopicEnds implements Arrivals {

    private final Admin admin;

    TopicEnds(Admin admin) {
        this.admin = admin;
    }

    @Override
    public long position(Collection<String> topics) throws Exception {
        Set<String> existing = admin.listTopics().names().get();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String topic : topics) {
            if (existing.contains(topic)) {
                request.put(new TopicPartition(topic, 0), OffsetSpec.latest());
            }
        }
        if (request.isEmpty()) {
            return 0;
        }
        return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    @Override
    public String where() {
        return "the raw topic";
    }

    @Override
    public long pollNanos() {
        return TimeUnit.MILLISECONDS.toNanos(2);
    }
}
