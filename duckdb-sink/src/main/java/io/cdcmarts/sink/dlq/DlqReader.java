package io.cdcmarts.sink.dlq;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the dead-letter topics {@code <prefix>.dlq.<table>} directly, so it works while the sink is
 * down: partitions are assigned (no consumer group, nothing committed), read from the beginning or
 * from {@code --since} (offsetsForTimes), committed transactions only. {@link #readToEnd} stops at
 * the end offsets noted when it starts; {@link #follow} then keeps reading until {@link #stop()}.
 */
public final class DlqReader implements AutoCloseable {

    /** How often {@link #follow} looks for the dead-letter topics of new tables. */
    static final Duration TOPIC_REFRESH = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaSettings kafka;
    private final DlqFilter filter;
    private final Duration timeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<TopicPartition> assigned = new LinkedHashSet<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean stopped;

    /**
     * @param timeout how long to wait for the broker to list topics and offsets before saying it
     *                cannot be reached
     */
    public DlqReader(KafkaSettings kafka, DlqFilter filter, Duration timeout) {
        this.kafka = kafka;
        this.filter = filter;
        this.timeout = timeout;
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-marts-dlq-" + kafka.topics().prefix());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The processor writes dead letters in exactly-once transactions: aborted ones never happened.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(config);
    }

    /** The dead-letter topics read so far. */
    public Set<String> topics() {
        Set<String> out = new LinkedHashSet<>();
        assigned.forEach(tp -> out.add(tp.topic()));
        return out;
    }

    /**
     * Reads every matching record up to the end offsets of the moment it starts.
     *
     * @throws IllegalStateException when Kafka cannot be reached
     */
    public void readToEnd(Consumer<DlqEntry> sink) {
        assignNewTopics();
        Map<TopicPartition, Long> end;
        try {
            end = consumer.endOffsets(assigned, timeout); // read_committed: the last stable offset
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
        Map<TopicPartition, Long> remaining = new HashMap<>(end);
        try {
            while (!stopped) {
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (remaining.isEmpty()) {
                    return;
                }
                poll(sink);
            }
        } catch (WakeupException e) {
            // stop() while waiting on Kafka
        }
    }

    /** Reads new records as they come, and new tables' topics, until {@link #stop()}. */
    public void follow(Consumer<DlqEntry> sink) {
        long nextRefresh = System.nanoTime() + TOPIC_REFRESH.toNanos();
        try {
            while (!stopped) {
                poll(sink);
                if (System.nanoTime() - nextRefresh >= 0) {
                    assignNewTopics();
                    nextRefresh = System.nanoTime() + TOPIC_REFRESH.toNanos();
                }
            }
        } catch (WakeupException e) {
            // stop() while waiting on Kafka
        }
    }

    /** Ends {@link #readToEnd} or {@link #follow} from another thread (Ctrl-C, a test). */
    public void stop() {
        stopped = true;
        stopping.countDown();
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }

    private void poll(Consumer<DlqEntry> sink) {
        if (assigned.isEmpty()) {
            // No dead-letter topic yet (a consumer with nothing assigned cannot poll): wait for one to appear.
            try {
                stopping.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            String table = kafka.topics().parse(r.topic()).map(TopicNames.Parsed::name).orElse(r.topic());
            DlqEntry e = DlqEntry.read(r.topic(), r.partition(), r.offset(), r.timestamp(), table, r.key(), r.value());
            if (filter.matches(e)) {
                sink.accept(e);
            }
        }
    }

    /** Assigns the partitions of dead-letter topics not read yet, positioned at --since or the beginning. */
    private void assignNewTopics() {
        Map<String, List<PartitionInfo>> all;
        try {
            all = consumer.listTopics(timeout);
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
        List<TopicPartition> fresh = new ArrayList<>();
        new TreeMap<>(all).forEach((topic, partitions) -> kafka.topics().parse(topic)
                .filter(p -> p.layer() == TopicNames.Layer.DLQ && filter.wantsTable(p.name()))
                .ifPresent(p -> partitions.forEach(info -> {
                    TopicPartition tp = new TopicPartition(info.topic(), info.partition());
                    if (!assigned.contains(tp)) {
                        fresh.add(tp);
                    }
                })));
        if (fresh.isEmpty()) {
            return;
        }
        // assign() replaces the assignment: note where the old partitions are and put them back there.
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : assigned) {
            positions.put(tp, consumer.position(tp));
        }
        assigned.addAll(fresh);
        consumer.assign(assigned);
        positions.forEach(consumer::seek);
        seekToStart(fresh);
    }

    private void seekToStart(List<TopicPartition> partitions) {
        Instant since = filter.since();
        if (since == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(tp -> at.put(tp, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found;
        try {
            found = consumer.offsetsForTimes(at, timeout);
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
        List<TopicPartition> nothingSince = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                nothingSince.add(tp);
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        consumer.seekToEnd(nothingSince);
    }

    private IllegalStateException unreachable(TimeoutException e) {
        return new IllegalStateException("cannot reach Kafka at " + kafka.bootstrap() + " within " + timeout.toSeconds()
                + "s (--kafka-bootstrap, CDC_KAFKA_BOOTSTRAP)", e);
    }
}
