package io.cdcmarts.common.cli;

import io.cdcmarts.common.TopicNames;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka options every service shares, as a picocli mixin ({@code @Mixin KafkaOptions kafka}).
 * Each option also reads an environment variable, for docker compose.
 */
public class KafkaOptions {

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
            defaultValue = "${env:CDC_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (env CDC_KAFKA_BOOTSTRAP; default ${DEFAULT-VALUE}).")
    public String bootstrap;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            defaultValue = "${env:CDC_TOPIC_PREFIX:-shop}",
            description = "Prefix of every topic: <prefix>.raw.<table> … (env CDC_TOPIC_PREFIX; default ${DEFAULT-VALUE}).")
    public String topicPrefix;

    @Option(names = "--topic-partitions", paramLabel = "N",
            defaultValue = "${env:CDC_TOPIC_PARTITIONS:-1}",
            description = "Partitions of the topics this service creates (env CDC_TOPIC_PARTITIONS; default ${DEFAULT-VALUE}).")
    public int partitions;

    @Option(names = "--topic-replication", paramLabel = "N",
            defaultValue = "${env:CDC_TOPIC_REPLICATION:-1}",
            description = "Replication factor of the topics this service creates (env CDC_TOPIC_REPLICATION; default ${DEFAULT-VALUE}).")
    public short replication;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property passed to every client (repeatable), e.g. security.protocol=SSL.")
    public Map<String, String> extra = new LinkedHashMap<>();

    /** Validated settings; throws {@link IllegalArgumentException} naming the option. */
    public KafkaSettings settings() {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--kafka-bootstrap (CDC_KAFKA_BOOTSTRAP) is empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--topic-partitions must be at least 1, got " + partitions);
        }
        if (replication < 1) {
            throw new IllegalArgumentException("--topic-replication must be at least 1, got " + replication);
        }
        TopicNames topics;
        try {
            topics = new TopicNames(topicPrefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--topic-prefix: " + e.getMessage());
        }
        return new KafkaSettings(bootstrap.trim(), topics, partitions, replication, Map.copyOf(extra));
    }

    /**
     * Kafka connection and topic settings, parsed.
     *
     * @param bootstrap   bootstrap servers
     * @param topics      the topic names under the configured prefix
     * @param partitions  partitions of created topics
     * @param replication replication factor of created topics
     * @param extra       client properties passed through to every client
     */
    public record KafkaSettings(String bootstrap, TopicNames topics, int partitions, short replication,
                                Map<String, String> extra) {

        /** Base client config: bootstrap plus the pass-through properties. */
        public Map<String, Object> clientConfig() {
            Map<String, Object> config = new HashMap<>(extra);
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            return config;
        }

        public static KafkaSettings of(String bootstrap, String prefix) {
            return new KafkaSettings(bootstrap, new TopicNames(prefix), 1, (short) 1, Map.of());
        }
    }
}
