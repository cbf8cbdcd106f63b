package io.cdcmarts.processor.property;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.common.kafka.KafkaSchemaLog;
import io.cdcmarts.common.kafka.TopicAdmin;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.topology.ProcessorTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;
import java.util.Objects;
import java.util.function.Function;

/**
 * A workload on a real broker: the processor's topics created with {@code partitions}, the
 * workload's messages written to the raw topics, and the mart topics read back (read_committed)
 * and folded by key as the compacted topics hold them, in the shape {@link BatchOracle} computes.
 */
public final class BrokerPipeline implements AutoCloseable {

    private final String bootstrap;
    private final String prefix;
    private final KafkaSettings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** The schemas the mart rows name (the processor publishes them to the schema topic). */
    private final SchemaDirectory schemas;
    private final Map<String, Map<String, Map<String, String>>> folded = new HashMap<>();

    BrokerPipeline(String bootstrap, String prefixStem, int partitions) {
        this(bootstrap, partitions, prefixStem + Long.toString(System.nanoTime(), 36));
    }

    private BrokerPipeline(String bootstrap, int partitions, String prefix) {
        this.bootstrap = bootstrap;
        this.prefix = prefix;
        this.settings = new KafkaSettings(bootstrap, new TopicNames(prefix), partitions, (short) 1, Map.of());
        this.schemas = new SchemaDirectory(new KafkaSchemaLog(settings));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A pipeline on topics with exactly this prefix (a benchmark's). */
    public static BrokerPipeline withPrefix(String bootstrap, String prefix, int partitions) {
        return new BrokerPipeline(bootstrap, partitions, prefix);
    }

    public String prefix() {
        return prefix;
    }

    public KafkaSettings settings() {
        return settings;
    }

    /** Creates every topic the processor reads or writes, with the pipeline's partitions. */
    public void createTopics(ProcessorConfig config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicAdmin topics = new TopicAdmin(admin, settings.partitions(), (short) 1);
            topics.ensure(new ProcessorTopics(settings.topics()).all(topics, config.dlqRetention()));
        }
        List<String> martTopics = new ArrayList<>();
        Mart.ALL.forEach(m -> martTopics.add(prefix + ".mart." + m.name()));
        consumer.subscribe(martTopics);
    }

    /**
     * Writes messages to their raw topics, keyed as the capture keys them (default partitioner);
     * each record's timestamp is the time it is sent, as when a backlog is written all at once.
     */
    void produce(List<Workload.Message> messages) {
        produce(messages, m -> null);
    }

    /**
     * Like {@link #produce(List)}, but each record carries its change's source time, shifted so the
     * last message is stamped now: the spacing a capture that writes each change as it commits
     * leaves in the topics. Kafka Streams takes a task's next record by these timestamps.
     */
    void produceAtSourceTimes(List<Workload.Message> messages) {
        long shift = System.currentTimeMillis() - messages.get(messages.size() - 1).sourceTsMs();
        produce(messages, m -> m.sourceTsMs() + shift);
    }

    private void produce(List<Workload.Message> messages, Function<Workload.Message, Long> timestamp) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // fresh topics: an idempotent producer trips over OutOfOrderSequence retries on this broker
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Workload.Message m : messages) {
                producer.send(new ProducerRecord<>(prefix + ".raw." + m.table(), null, timestamp.apply(m), m.key(), m.value()));
            }
            producer.flush();
        }
    }

    /** Reads what the mart topics committed since the last call; returns every mart folded by key. */
    public Map<String, Map<String, Map<String, String>>> marts() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            String mart = r.topic().substring((prefix + ".mart.").length());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Map<String, Map<String, String>> rows = folded.computeIfAbsent(mart, k -> new TreeMap<>());
            if (r.value() == null) {
                rows.remove(key);
            } else {
                rows.put(key, text(TypedRow.parse(r.value(), SchemaIds.from(r.headers()), schemas).values()));
            }
        }
        return folded;
    }

    /** How many rows of each mart differ from the oracle's (missing, extra or other values). */
    public static Map<String, Integer> differences(Map<String, Map<String, Map<String, String>>> marts, BatchOracle oracle) {
        Map<String, Integer> diff = new TreeMap<>();
        for (Mart<?> mart : Mart.ALL) {
            Map<String, Map<String, String>> got = marts.getOrDefault(mart.name(), Map.of());
            Map<String, Map<String, String>> want = oracle.marts.getOrDefault(mart.name(), Map.of());
            int n = 0;
            for (String key : want.keySet()) {
                if (!want.get(key).equals(got.get(key))) {
                    n++;
                }
            }
            for (String key : got.keySet()) {
                if (!want.containsKey(key)) {
                    n++;
                }
            }
            if (n > 0) {
                diff.put(mart.name(), n);
            }
        }
        return diff;
    }

    /** The first {@code limit} rows that differ from the oracle, each with what was wanted and what the topic has. */
    public static String differingRows(Map<String, Map<String, Map<String, String>>> marts, BatchOracle oracle, int limit) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Mart<?> mart : Mart.ALL) {
            Map<String, Map<String, String>> got = marts.getOrDefault(mart.name(), Map.of());
            Map<String, Map<String, String>> want = oracle.marts.getOrDefault(mart.name(), Map.of());
            Set<String> keys = new TreeSet<>(want.keySet());
            keys.addAll(got.keySet());
            for (String key : keys) {
                if (!Objects.equals(want.get(key), got.get(key)) && n++ < limit) {
                    out.append(System.lineSeparator()).append(mart.name()).append(' ').append(key)
                            .append(": want ").append(want.get(key)).append(", got ").append(got.get(key));
                }
            }
        }
        return out.toString();
    }

    private static Map<String, String> text(JsonNode payload) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            values.put(e.getKey(), v.isNull() ? null : v.isIntegralNumber() ? Long.toString(v.longValue())
                    : v.isNumber() ? v.decimalValue().toPlainString() : v.asText());
        }
        return values;
    }

    @Override
    public void close() {
        consumer.close();
        schemas.close();
    }
}
