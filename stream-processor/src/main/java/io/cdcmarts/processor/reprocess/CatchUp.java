package io.cdcmarts.processor.reprocess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a Kafka Streams application has caught up: its committed offsets on the raw topics have
 * reached the targets noted at the start, and nothing is in flight in its repartition and
 * foreign-key join topics.
 *
 * <p>Committed offsets are read before the end offsets of the internal topics. With exactly-once,
 * a record is written to an internal topic in the same transaction that commits the offset of the
 * input that caused it; so a record still in flight either shows as an internal partition whose
 * committed offset is behind its end, or its cause is not committed yet (a partition behind
 * upstream). Transaction markers take offsets no consumer ever commits, so a partition whose
 * committed offset is behind its end only by markers (no visible record between them) counts as
 * caught up; an open transaction counts as in flight.
 */
final class CatchUp implements AutoCloseable {

    private static final Duration MARKER_PROBE = Duration.ofSeconds(2);

    private final Admin admin;
    private final StreamsApplication app;
    private final KafkaConsumer<byte[], byte[]> probe;

    /**
     * @param clientConfig the Kafka client settings (bootstrap, security) for a read_committed probe consumer
     */
    CatchUp(Admin admin, StreamsApplication app, Map<String, Object> clientConfig) {
        this.admin = admin;
        this.app = app;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, app.applicationId() + "-reprocess-probe");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.probe = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * One look at the application.
     *
     * @param rawDone     raw records processed and committed, up to the targets
     * @param rawTotal    raw records up to the targets
     * @param internalLag records (and markers) in internal topics not yet committed
     * @param behind      the partitions still behind
     */
    record Progress(long rawDone, long rawTotal, long internalLag, List<TopicPartition> behind) {
        boolean caughtUp() {
            return behind.isEmpty();
        }
    }

    Progress check(Map<TopicPartition, Long> rawTargets) {
        Map<TopicPartition, Long> committed = app.committedOffsets();
        Map<TopicPartition, Long> internalEnds = EndOffsets.of(admin, app.internalTopics().stream()
                .filter(InternalTopics::isSource).toList());
        List<TopicPartition> behind = new ArrayList<>();
        long rawDone = 0;
        long rawTotal = 0;
        for (Map.Entry<TopicPartition, Long> target : rawTargets.entrySet()) {
            long at = committed.getOrDefault(target.getKey(), 0L);
            rawTotal += target.getValue();
            rawDone += Math.min(at, target.getValue());
            if (at < target.getValue() && visibleRecordsBetween(target.getKey(), at, target.getValue())) {
                behind.add(target.getKey());
            }
        }
        long internalLag = 0;
        for (Map.Entry<TopicPartition, Long> end : internalEnds.entrySet()) {
            long at = committed.getOrDefault(end.getKey(), 0L);
            if (at < end.getValue()) {
                internalLag += end.getValue() - at;
                if (visibleRecordsBetween(end.getKey(), at, end.getValue())) {
                    behind.add(end.getKey());
                }
            }
        }
        return new Progress(rawDone, rawTotal, internalLag, behind);
    }

    /**
     * Whether a read_committed consumer finds a record in [from, to): false when only transaction
     * markers (or aborted records) lie there; true also when an open transaction hides the range.
     */
    private boolean visibleRecordsBetween(TopicPartition tp, long from, long to) {
        probe.assign(List.of(tp));
        probe.seek(tp, from);
        Instant deadline = Instant.now().plus(MARKER_PROBE);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : probe.poll(Duration.ofMillis(200)).records(tp)) {
                if (record.offset() < to) {
                    return true;
                }
            }
            if (probe.position(tp) >= to) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        probe.close();
    }
}
