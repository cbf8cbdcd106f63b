package io.cdcmarts.app.status;

import io.cdcmarts.common.kafka.PartitionOffsets;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Consumer lag from the broker's point of view: committed offsets of a group against the end
 * offsets of every partition of the topics the group is meant to read ({@link PartitionOffsets}).
 * A partition the group has never committed counts from its first offset: a topic nobody has
 * consumed yet is behind, not absent. The sink keeps its real positions in DuckDB and commits its
 * consumer positions to Kafka after each batch for exactly this purpose.
 */
final class ConsumerLagProbe {

    private final Admin admin;
    private final Duration timeout;
    // The high watermark: records of a transaction still open count as not consumed yet.
    private final PartitionOffsets offsets;

    ConsumerLagProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
        this.offsets = new PartitionOffsets(admin, IsolationLevel.READ_UNCOMMITTED, timeout);
    }

    /**
     * @param reads the topics the group is meant to read (e.g. the sink's subscription); committed
     *              offsets of other topics (the processor's internal ones) count too
     */
    GroupLag read(String group, String role, Pattern reads) {
        try {
            String state = describe(group);
            return new GroupLag(group, role, state, offsets.read(group, reads).lagByTopic(), null);
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
