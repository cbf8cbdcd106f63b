package io.cdcmarts.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.testing.InMemorySchemaLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Reads whole topics from offset 0, and folds raw topics to the latest row per key, as a sink would. */
final class RawTopics {

    private RawTopics() {
    }

    /**
     * One message: its offset, key and value bytes (value null for a tombstone), the schema id its
     * header names (null for an inline envelope) and the schemas of its topic's prefix.
     */
    record Message(int partition, long offset, byte[] key, byte[] value, String schemaId, SchemaDirectory schemas) {

        JsonNode keyJson() {
            try {
                return Json.MAPPER.readTree(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        RawChangeEvent event() {
            return RawChangeEvent.parse(value, schemaId, schemas);
        }

        JsonNode valueJson() {
            try {
                return Json.MAPPER.readTree(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Every message of a raw topic ({@code <prefix>.raw.<table>}), in partition and offset order,
     * with the schemas its lean messages name read from {@code <prefix>.schemas} after it (capture
     * writes a schema before its first message, so every id read is there then).
     */
    static List<Message> read(String bootstrap, String topic) {
        List<Message> messages = readTopic(bootstrap, topic);
        int raw = topic.indexOf(".raw.");
        InMemorySchemaLog log = new InMemorySchemaLog();
        List<Message> entries = raw < 0 ? List.of() : readTopic(bootstrap, new TopicNames(topic.substring(0, raw)).schemas());
        for (Message m : entries) {
            log.add(new String(m.key(), StandardCharsets.UTF_8), m.value());
        }
        SchemaDirectory schemas = new SchemaDirectory(log);
        return messages.stream().map(m -> new Message(m.partition(), m.offset(), m.key(), m.value(), m.schemaId(), schemas)).toList();
    }

    /** Every message of a topic, in partition and offset order; empty when the topic does not exist. */
    private static List<Message> readTopic(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Message> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Message(r.partition(), r.offset(), r.key(), r.value(), SchemaIds.from(r.headers()), SchemaDirectory.NONE));
                }
            }
            return out;
        }
    }

    static Set<String> topicNames(String bootstrap) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listTopics().names().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The latest row per key: a tombstone or delete removes it; a column holding Debezium's TOAST
     * placeholder keeps the previous value, as the sink does.
     */
    static Map<JsonNode, ObjectNode> fold(List<Message> messages) {
        Map<JsonNode, ObjectNode> rows = new LinkedHashMap<>();
        for (Message m : messages) {
            JsonNode key = m.keyJson();
            if (m.value() == null) {
                rows.remove(key);
                continue;
            }
            RawChangeEvent e = m.event();
            if (e.isDelete()) {
                rows.remove(key);
                continue;
            }
            ObjectNode after = e.after().deepCopy();
            ObjectNode previous = rows.get(key);
            if (previous != null) {
                List<String> names = new ArrayList<>();
                after.fieldNames().forEachRemaining(names::add);
                for (String f : names) {
                    if (RawChangeEvent.UNAVAILABLE_VALUE.equals(after.path(f).asText(null)) && previous.has(f)) {
                        after.set(f, previous.get(f));
                    }
                }
            }
            rows.put(key, after);
        }
        return rows;
    }
}
