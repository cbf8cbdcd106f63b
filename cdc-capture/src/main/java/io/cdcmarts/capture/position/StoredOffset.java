package io.cdcmarts.capture.position;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.engine.DebeziumProperties;
import io.cdcmarts.common.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The position Debezium stored for this capture (the LSN it streamed up to), read before the
 * engine starts so capture can tell a lost slot from a first start: from the Kafka topic
 * {@code <prefix>.capture.offsets} (the default) or from {@code --offsets-file}. Both hold Connect's
 * offset records: key {@code ["<engine name>", {"server": "<topic.prefix>"}]}, value Debezium's
 * JSON offset with {@code lsn}.
 *
 * @param lsn   the stored LSN (bytes since 0/0)
 * @param where where it is kept, for messages ("Kafka topic shop.capture.offsets", "file data/offsets.dat")
 */
public record StoredOffset(long lsn, String where) {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** The LSN as PostgreSQL writes it (0/16B3748). */
    public String lsnText() {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** Where this capture's offsets are kept, for messages. */
    public static String where(CaptureConfig config) {
        return config.offsetsInKafka() ? "Kafka topic " + config.kafka().topics().captureOffsets()
                : "file " + config.offsetsFile();
    }

    /**
     * The stored position, or empty when there is none yet (a first start).
     *
     * @throws CaptureException naming the topic or file when it cannot be read
     */
    public static Optional<StoredOffset> read(CaptureConfig config) {
        String engine = DebeziumProperties.engineName(config);
        String server = DebeziumProperties.serverName(config);
        Map<String, byte[]> byKey = config.offsetsInKafka() ? fromTopic(config) : fromFile(config.offsetsFile());
        byte[] value = null;
        for (Map.Entry<String, byte[]> e : byKey.entrySet()) {
            if (isOurs(e.getKey(), engine, server)) {
                value = e.getValue();
            }
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode lsn = Json.MAPPER.readTree(value).get("lsn");
            return lsn == null || !lsn.canConvertToLong() ? Optional.empty() : Optional.of(new StoredOffset(lsn.asLong(), where(config)));
        } catch (IOException e) {
            throw new CaptureException("cannot read capture's stored offset in " + where(config) + ": " + e.getMessage(), e);
        }
    }

    static boolean isOurs(String key, String engine, String server) {
        try {
            JsonNode k = Json.MAPPER.readTree(key);
            return k.isArray() && k.size() == 2 && engine.equals(k.get(0).asText())
                    && k.get(1).has("server") && server.equals(k.get(1).get("server").asText());
        } catch (IOException e) {
            return false; // another writer's record: not ours
        }
    }

    /** The latest value of every key of the offsets topic (a null value deletes the key), read to its end. */
    private static Map<String, byte[]> fromTopic(CaptureConfig config) {
        String topic = config.kafka().topics().captureOffsets();
        Map<String, Object> props = new HashMap<>(config.kafka().clientConfig());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-capture-" + config.kafka().topics().prefix() + "-offsets-check");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.listTopics(READ_TIMEOUT).get(topic);
            if (partitions == null || partitions.isEmpty()) {
                return latest; // no topic: capture never stored an offset here
            }
            List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp, READ_TIMEOUT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new CaptureException("cannot read capture's offsets from Kafka topic " + topic + " within "
                            + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, r.value());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CaptureException("cannot read capture's offsets from Kafka topic " + topic + ": " + e.getMessage(), e);
        }
        return latest;
    }

    /** Connect's file offset store: a serialized {@code java.util} map of {@code byte[]}; nothing else is let in. */
    private static Map<String, byte[]> fromFile(Path file) {
        Map<String, byte[]> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        ObjectInputFilter onlyMapsOfBytes = info -> {
            Class<?> c = info.serialClass();
            if (c == null) {
                return info.depth() > 4 ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
            }
            // Map.Entry[]: HashMap asks the filter before it allocates its table
            if (Map.class.isAssignableFrom(c) && c.getName().startsWith("java.util.") || c == byte[].class
                    || c == Map.Entry[].class) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            refused.set(c.getName());
            return ObjectInputFilter.Status.REJECTED;
        };
        try (InputStream in = Files.newInputStream(file); ObjectInputStream objects = new ObjectInputStream(in)) {
            objects.setObjectInputFilter(onlyMapsOfBytes);
            Object read = objects.readObject();
            if (read instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (k instanceof byte[] key && v instanceof byte[] value) {
                        out.put(new String(key, java.nio.charset.StandardCharsets.UTF_8), value);
                    }
                });
            }
            return out;
        } catch (IOException | ClassNotFoundException e) {
            throw new CaptureException("cannot read capture's offsets file " + file + ": " + e.getMessage()
                    + (refused.get() == null ? "" : " (it holds a " + refused.get() + ", not Connect's map of bytes)"), e);
        }
    }
}
