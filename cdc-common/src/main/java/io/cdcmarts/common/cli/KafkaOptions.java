package io.cdcmarts.common.cli;

import io.cdcmarts.common.TopicNames;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka options every service shares, as a picocli mixin ({@code @Mixin KafkaOptions kafka}).
 * Each option also reads an environment variable, for docker compose.
 */
public class KafkaOptions {

    /** Default of {@code --kafka-timeout}: long enough for a broker that is still starting next to us. */
    public static final String DEFAULT_TIMEOUT_TEXT = "30s";

    /** {@link #DEFAULT_TIMEOUT_TEXT} as a duration. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

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

    @Option(names = "--kafka-timeout", paramLabel = "DURATION",
            defaultValue = "${env:CDC_KAFKA_TIMEOUT:-" + KafkaOptions.DEFAULT_TIMEOUT_TEXT + "}",
            description = "How long to wait for the Kafka broker before saying it cannot be reached and exiting 1 "
                    + "(env CDC_KAFKA_TIMEOUT; default ${DEFAULT-VALUE}).")
    public String timeout;

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
        Duration wait = Durations.positive("--kafka-timeout", timeout == null ? DEFAULT_TIMEOUT_TEXT : timeout);
        return new KafkaSettings(bootstrap.trim(), topics, partitions, replication, Map.copyOf(extra), wait);
    }

    /**
     * Kafka connection and topic settings, parsed.
     *
     * @param bootstrap   bootstrap servers
     * @param topics      the topic names under the configured prefix
     * @param partitions  partitions of created topics
     * @param replication replication factor of created topics
     * @param extra       client properties passed through to every client
     * @param timeout     how long a service waits for the broker at start before it gives up ({@code --kafka-timeout})
     */
    public record KafkaSettings(String bootstrap, TopicNames topics, int partitions, short replication,
                                Map<String, String> extra, Duration timeout) {

        /** With the default {@code --kafka-timeout}. */
        public KafkaSettings(String bootstrap, TopicNames topics, int partitions, short replication,
                             Map<String, String> extra) {
            this(bootstrap, topics, partitions, replication, extra, DEFAULT_TIMEOUT);
        }

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
