package io.cdcmarts.common.kafka;

import io.cdcmarts.common.cli.Durations;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.SchemaLog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schema log on its compacted topic, {@code <prefix>.schemas}: read from the beginning by a
 * consumer of its own (assigned, no group, nothing committed), which is created on the first read,
 * so a reader that only ever meets inline messages never connects. Each read goes on from where
 * the last one stopped up to the end the topic has then, within {@code --kafka-timeout}. A topic
 * that does not exist yet is an empty log. Not thread-safe: {@link io.cdcmarts.common.event.SchemaDirectory}
 * reads it from one thread at a time.
 */
public final class KafkaSchemaLog implements SchemaLog {

    private final KafkaSettings kafka;
    private final String topic;
    private KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions = List.of();

    public KafkaSchemaLog(KafkaSettings kafka) {
        this.kafka = kafka;
        this.topic = kafka.topics().schemas();
    }

    @Override
    public List<Entry> readToEnd() {
        Instant deadline = Instant.now().plus(kafka.timeout());
        try {
            if (consumer == null) {
                consumer = new KafkaConsumer<>(consumerConfig());
            }
            if (partitions.isEmpty() && !assign(deadline)) {
                return List.of();
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, left(deadline));
            List<Entry> entries = new ArrayList<>();
            while (!reached(ends)) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new SchemaLogException("cannot read " + describe() + " to its end within "
                            + Durations.format(kafka.timeout()) + " (--kafka-timeout, CDC_KAFKA_TIMEOUT)", null);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(Math.min(500, left(deadline).toMillis())))) {
                    if (r.key() != null) {
                        entries.add(new Entry(new String(r.key(), StandardCharsets.UTF_8), r.value()));
                    }
                }
            }
            return entries;
        } catch (KafkaException e) {
            throw new SchemaLogException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** Assigns the topic's partitions from their beginning; false when the topic does not exist (yet). */
    private boolean assign(Instant deadline) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, left(deadline));
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private static Duration left(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = kafka.clientConfig();
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Reading the log must never create it: capture creates it, compacted, before its first entry.
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, kafka.topics().prefix() + "-schema-log-" + System.identityHashCode(this));
        return c;
    }

    @Override
    public String describe() {
        return "topic " + topic + " at " + kafka.bootstrap();
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ZERO);
            consumer = null;
            partitions = List.of(); // a later read (a service started again) assigns its new consumer anew
        }
    }
}
