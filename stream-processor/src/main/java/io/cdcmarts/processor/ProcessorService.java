package io.cdcmarts.processor;

import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.kafka.KafkaReachability;
import io.cdcmarts.common.kafka.KafkaSchemaLog;
import io.cdcmarts.common.kafka.TopicAdmin;
import io.cdcmarts.processor.serde.KafkaSchemaPublisher;
import io.cdcmarts.processor.config.KilledRunState;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.topology.ProcessorTopics;
import io.cdcmarts.processor.topology.ProcessorTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.cdcmarts.common.http.Health;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The stream processor as a service: {@link #start()} creates the topics it reads and writes (with
 * explicit configs), then runs the topology with exactly-once v2; {@link #close()} stops it cleanly.
 * A stream thread that dies on what a broker bounce causes is replaced ({@link StreamThreadFailures});
 * any other error that escapes the topology stops the Kafka Streams client (state ERROR) rather than
 * retrying a record that would fail again; it is logged, kept in {@link #status()} and passed to the
 * {@link #onFatalError listeners}. The consumers are static members of the group
 * ({@link GroupInstanceId}), so a restarted processor gets its partitions back at once.
 */
public final class ProcessorService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ProcessorConfig config;
    private final MeterRegistry registry;
    private final Topology topology;
    /** The schemas of lean raw messages, from {@code <prefix>.schemas}; connects on the first lean message. */
    private final SchemaDirectory schemas;
    /** Where the schemas of the staging, mart and open-failure rows go; connects on the first row. */
    private final KafkaSchemaPublisher schemaPublisher;
    private final CopyOnWriteArrayList<Consumer<Throwable>> fatalListeners = new CopyOnWriteArrayList<>();
    private final KilledRunState killedRunState;
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics streamsMetrics;
    private volatile Throwable lastError;
    private volatile Instant lastErrorAt;

    /**
     * What the service is doing now.
     *
     * @param state       the Kafka Streams state (CREATED before start)
     * @param lastError   the last fatal error, or null
     * @param lastErrorAt when it happened, or null
     */
    public record Status(KafkaStreams.State state, String lastError, Instant lastErrorAt) {
        /**
         * The {@code /health} document: UP while {@link #healthy()}; detail {@code state} (Kafka
         * Streams' state), and {@code waiting} while it rebalances (no partitions to work on yet).
         */
        public Health health() {
            return new Health(healthy(), lastError, lastErrorAt, body -> {
                body.put("state", state.name());
                if (state == KafkaStreams.State.REBALANCING) {
                    body.put("waiting", "rebalancing: partitions not assigned (or state not restored) yet");
                }
            });
        }

        /**
         * Running (or not started yet). Rebalancing is not: the processor does no work then, and a
         * restart that waits for its partitions must not look healthy.
         */
        public boolean healthy() {
            return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.CREATED;
        }
    }

    public ProcessorService(ProcessorConfig config, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.schemas = new SchemaDirectory(new KafkaSchemaLog(config.kafka()));
        this.schemaPublisher = new KafkaSchemaPublisher(config.kafka());
        this.topology = ProcessorTopology.build(config, registry, schemas, schemaPublisher);
        this.killedRunState = new KilledRunState(config.stateDir(), config.applicationId());
    }

    public ProcessorConfig config() {
        return config;
    }

    public Topology topology() {
        return topology;
    }

    /**
     * Exactly the raw topics the processor reads (not every raw topic: capture may send tables
     * it has no rules for), so a drain waits only for what it will consume.
     */
    public Pattern sourceTopics() {
        return Pattern.compile(new ProcessorTopics(config.topics()).rawTopics().stream()
                .map(Pattern::quote).collect(Collectors.joining("|")));
    }

    /** Called once with the error when the topology stops on an error it cannot handle. */
    public void onFatalError(Consumer<Throwable> listener) {
        fatalListeners.add(listener);
    }

    /** Creates the topics and starts processing; returns at once (state REBALANCING, then RUNNING). */
    public void start() {
        start(false);
    }

    /**
     * Like {@link #start()}, but first deletes this application's local state
     * ({@code KafkaStreams.cleanUp()}): for a reprocess, after its group and internal topics were
     * reset, so it starts from empty stores.
     */
    public void startWithEmptyState() {
        start(true);
    }

    private synchronized void start(boolean cleanUp) {
        if (streams != null) {
            throw new IllegalStateException("the processor is already started");
        }
        // Kafka Streams retries an unreachable broker forever while reporting REBALANCING: fail at start instead.
        KafkaReachability.require(config.kafka(), config.applicationId() + "-probe");
        createTopics();
        Properties properties = config.streamsProperties();
        // A --streams-property group.instance.id wins; Kafka Streams appends each thread's index to it.
        config.groupInstanceId().ifPresent(id -> properties.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                id.resolve(config.stateDir(), config.applicationId())));
        removeKilledRunState(properties, cleanUp);
        KafkaStreams kafkaStreams = new KafkaStreams(topology, properties);
        StreamThreadFailures failures = new StreamThreadFailures(Clock.systemUTC());
        kafkaStreams.setUncaughtExceptionHandler(error -> {
            lastError = error;
            lastErrorAt = Instant.now();
            StreamThreadExceptionResponse response = failures.decide(error);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.warn("A stream thread failed on {} (the broker away?); replacing it ({} in the last {})",
                        error, failures.recent(), StreamThreadFailures.WINDOW);
                LOG.debug("The stream thread's error", error);
                return response;
            }
            LOG.error("The stream processor stops on an error it cannot handle", error);
            fatalListeners.forEach(listener -> listener.accept(error));
            return response;
        });
        kafkaStreams.setStateListener((now, before) -> LOG.info("Stream processor {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(kafkaStreams);
        streamsMetrics.bindTo(registry);
        streams = kafkaStreams;
        if (cleanUp) {
            LOG.info("Deleting the local state of {} in {}", config.applicationId(), config.stateDir().toAbsolutePath());
            kafkaStreams.cleanUp();
        }
        LOG.info("Starting the stream processor {} (exactly_once_v2, state in {}, topics {}.*, rules {}, group instance {})",
                config.applicationId(), config.stateDir().toAbsolutePath(), config.topics().prefix(), config.rules().source(),
                properties.getOrDefault(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "none (dynamic membership)"));
        kafkaStreams.start();
    }

    /**
     * After a {@code kill -9}, exactly-once Kafka Streams distrusts and wipes every task's state after
     * opening each store twice; removing it first makes the restart seconds faster, same state.
     */
    private void removeKilledRunState(Properties properties, boolean cleanUp) {
        // At least once (a --streams-property) trusts its stores after a crash: nothing to remove then.
        // Either way Kafka Streams still checks every store itself: the marker only saves time.
        if (!String.valueOf(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).startsWith("exactly_once")) {
            return;
        }
        List<String> removed = killedRunState.removeIfKilled();
        if (!cleanUp && !removed.isEmpty()) {
            LOG.info("The last run did not stop cleanly (killed?): restoring the state of its {} tasks from their changelogs",
                    removed.size());
        }
    }

    /** Creates, with explicit configs, every topic the processor reads or writes that does not exist yet. */
    public void createTopics() {
        Map<String, Object> adminConfig = config.kafka().clientConfig();
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-topics");
        try (TopicAdmin admin = TopicAdmin.create(adminConfig, config.kafka().partitions(), config.kafka().replication())) {
            admin.ensure(new ProcessorTopics(config.topics()).all(admin, config.dlqRetention()));
        }
    }

    public Status status() {
        KafkaStreams s = streams;
        Throwable error = lastError;
        return new Status(s == null ? KafkaStreams.State.CREATED : s.state(),
                error == null ? null : error.toString(), lastErrorAt);
    }

    /** The Kafka Streams client, once started (for tests and the launcher's status). */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public synchronized void close() {
        KafkaStreams s = streams;
        if (s == null) {
            schemas.close();
            schemaPublisher.close();
            return;
        }
        LOG.info("Closing the stream processor {}", config.applicationId());
        // Leave the group at once (Streams' consumers otherwise stay members until the session
        // times out), so `reprocess` can start right after `process` stops.
        if (!s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT))) {
            LOG.warn("The stream processor did not stop within {}", CLOSE_TIMEOUT);
        } else if (s.state() == KafkaStreams.State.NOT_RUNNING) {
            // Every task closed cleanly and its stores hold their offsets: the next start keeps them
            killedRunState.markStoppedCleanly();
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        streams = null;
        schemas.close(); // its consumer; a later start reads the schema topic again on its first lean message
        schemaPublisher.close(); // after the stream threads, the only callers
    }
}
