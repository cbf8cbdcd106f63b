package io.cdcmarts.processor.property;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.common.kafka.TopicAdmin;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.topology.ProcessorTopics;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The random workload through the real service on topics with three partitions: the keys the
 * processor computes (foreign keys, group-by keys) must land where the raw rows are, or the joins
 * would miss. Every mart topic, folded, ends equal to the batch recomputation.
 */
class PartitionedPipelineIT {

    @TempDir
    Path stateDir;

    @Test
    void martsAreExactOnPartitionedTopics() throws Exception {
        String bootstrap = SharedInfra.get().kafkaBootstrap();
        String prefix = "ppit" + Long.toString(System.nanoTime(), 36);
        KafkaSettings settings = new KafkaSettings(bootstrap, new TopicNames(prefix), 3, (short) 1, Map.of());
        ProcessorConfig config = ProcessorConfig.builder(settings).stateDir(stateDir).commitInterval(Duration.ofMillis(50)).build();

        Workload workload = new Workload(new Random(Long.getLong("cdc.test.seed", 11)));
        for (int i = 0, n = Integer.getInteger("cdc.test.changes", 800); i < n; i++) {
            workload.next();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicAdmin topics = new TopicAdmin(admin, 3, (short) 1);
            topics.ensure(new ProcessorTopics(settings.topics()).all(topics, config.dlqRetention()));
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // fresh topics: an idempotent producer trips over OutOfOrderSequence retries on this broker
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Workload.Message m : workload.messages()) {
                producer.send(new ProducerRecord<>(prefix + ".raw." + m.table(), m.key(), m.value()));
            }
            producer.flush();
        }

        BatchOracle oracle = new BatchOracle(workload.model());
        try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry());
             KafkaConsumer<byte[], byte[]> consumer = readCommitted(bootstrap)) {
            service.start();
            List<String> martTopics = new ArrayList<>();
            Mart.ALL.forEach(m -> martTopics.add(prefix + ".mart." + m.name()));
            consumer.subscribe(martTopics);
            Map<String, Map<String, Map<String, String>>> folded = new HashMap<>();
            await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String mart = r.topic().substring((prefix + ".mart.").length());
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    Map<String, Map<String, String>> rows = folded.computeIfAbsent(mart, k -> new TreeMap<>());
                    if (r.value() == null) {
                        rows.remove(key);
                    } else {
                        rows.put(key, text(TypedRow.parse(r.value()).values()));
                    }
                }
                for (Mart<?> mart : Mart.ALL) {
                    assertThat(folded.getOrDefault(mart.name(), Map.of())).as(mart.name())
                            .isEqualTo(oracle.marts.getOrDefault(mart.name(), Map.of()));
                }
            });
        }
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

    private static KafkaConsumer<byte[], byte[]> readCommitted(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "partitioned-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
