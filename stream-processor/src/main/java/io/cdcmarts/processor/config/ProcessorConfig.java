package io.cdcmarts.processor.config;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.kafka.TopicAdmin;
import io.cdcmarts.processor.quality.RuleSet;
import io.cdcmarts.processor.quality.StagingRules;
import io.cdcmarts.processor.topology.FreshCommits;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings of the stream processor, parsed and validated once. Build it with {@link #builder}.
 *
 * <ul>
 *   <li>{@code kafka}: bootstrap servers, topic prefix, partitions and replication of the topics
 *       it creates, client pass-through properties (the shared Kafka options).</li>
 *   <li>{@code applicationId}: the Kafka Streams application id (consumer group, prefix of the
 *       internal topics); default {@code cdc-marts-processor-<prefix>}.</li>
 *   <li>{@code stateDir}: where the state stores live; default {@value #DEFAULT_STATE_DIR}.</li>
 *   <li>{@code commitInterval}: how often results are committed (and become visible to
 *       read_committed consumers) while the processor keeps up; default 100 ms.</li>
 *   <li>{@code catchUpCommitInterval}: how often while it reads a backlog, records written more
 *       than ten of these ago ({@link CommitIntervals}); default the commit interval (one fixed interval).</li>
 *   <li>{@code streamThreads}: stream threads; default 1.</li>
 *   <li>{@code storeType}: RocksDB (default) or in-memory state stores.</li>
 *   <li>{@code dlqRetention}: retention of the dead-letter topics it creates; default 30 days.</li>
 *   <li>{@code rules}: the staging rules; default the built-in {@link StagingRules#DEFAULTS}, or
 *       those of a rules file ({@code --rules}).</li>
 *   <li>{@code groupInstanceId}: static membership of the group ({@link GroupInstanceId}); default
 *       an id kept in the state directory.</li>
 *   <li>{@code streamsOverrides}: any Kafka Streams property, applied last (pass-through).</li>
 * </ul>
 */
public final class ProcessorConfig {

    public static final String DEFAULT_STATE_DIR = "data/streams-state";
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** The processor's producer linger.ms (Kafka Streams' own default is 100); {@code --streams-property producer.linger.ms=…} overrides it. */
    public static final int PRODUCER_LINGER_MS = 5;
    /** The processor's consumers' max.partition.fetch.bytes (Kafka's default is 1 MB); overridable the same way. */
    public static final int MAX_PARTITION_FETCH_BYTES = 8 * 1024 * 1024;
    /**
     * The restore consumer's fetch.max.wait.ms (Kafka's default is 500): how long the broker holds a
     * fetch of a changelog that has nothing more to give, overridable the same way.
     */
    public static final int RESTORE_FETCH_MAX_WAIT_MS = 50;
    /**
     * retry.backoff.ms of Kafka Streams, its main consumer and its producer (Kafka's default is 100),
     * unless the user gives one; the other clients keep {@value #CLIENT_RETRY_BACKOFF_MS}.
     */
    public static final int STREAMS_RETRY_BACKOFF_MS = 10;
    static final int CLIENT_RETRY_BACKOFF_MS = 100;
    /**
     * The record caches' size, all stream threads together (Kafka Streams' default is 10 MB), unless
     * the user gives one ({@code statestore.cache.max.bytes} or the deprecated {@code cache.max.bytes.buffering}).
     */
    public static final long STATESTORE_CACHE_MAX_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_DLQ_RETENTION = Duration.ofMillis(TopicAdmin.DLQ_RETENTION_MS);

    private final KafkaSettings kafka;
    private final String applicationId;
    private final Path stateDir;
    private final CommitIntervals commitIntervals;
    private final int streamThreads;
    private final StoreType storeType;
    private final Duration dlqRetention;
    private final RuleSet rules;
    private final Map<String, String> streamsOverrides;
    private final Optional<GroupInstanceId> groupInstanceId;

    private ProcessorConfig(Builder b) {
        this.kafka = Objects.requireNonNull(b.kafka, "kafka settings");
        this.applicationId = b.applicationId == null || b.applicationId.isBlank()
                ? defaultApplicationId(kafka.topics()) : b.applicationId.strip();
        this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
        Duration commitInterval = Objects.requireNonNull(b.commitInterval, "commitInterval");
        // Off unless asked for: on a saturated machine it read a backlog faster but a steady stream of
        // updates slower than one fixed interval (stream-processor README, "Commits that follow the records' age")
        Duration catchUp = b.catchUpCommitInterval != null ? b.catchUpCommitInterval : commitInterval;
        this.commitIntervals = new CommitIntervals(commitInterval, catchUp);
        this.streamThreads = b.streamThreads;
        this.storeType = Objects.requireNonNull(b.storeType, "storeType");
        this.dlqRetention = Objects.requireNonNull(b.dlqRetention, "dlqRetention");
        this.rules = Objects.requireNonNull(b.rules, "rules");
        this.streamsOverrides = Map.copyOf(b.streamsOverrides);
        this.groupInstanceId = Objects.requireNonNull(b.groupInstanceId, "groupInstanceId");
        if (streamsOverrides.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
            // Kafka Streams' interval is the catch-up one; set alone it would also leave the short one unchecked
            throw new IllegalArgumentException("--streams-property " + StreamsConfig.COMMIT_INTERVAL_MS_CONFIG
                    + ": the processor commits at two intervals, set them with --commit-interval-ms and --catch-up-commit-interval-ms");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("--stream-threads must be at least 1, got " + streamThreads);
        }
        if (dlqRetention.isNegative() || dlqRetention.isZero()) {
            throw new IllegalArgumentException("--dlq-retention-days must be positive");
        }
        if (!applicationId.matches("[A-Za-z0-9._\\-]+")) {
            throw new IllegalArgumentException("--application-id '" + applicationId
                    + "' is not valid: use letters, digits, '.', '_' and '-'");
        }
    }

    public static String defaultApplicationId(TopicNames topics) {
        return "cdc-marts-processor-" + topics.prefix();
    }

    public static Builder builder(KafkaSettings kafka) {
        return new Builder(kafka);
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public TopicNames topics() {
        return kafka.topics();
    }

    public String applicationId() {
        return applicationId;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The commit interval while the processor keeps up ({@code --commit-interval-ms}). */
    public Duration commitInterval() {
        return commitIntervals.fresh();
    }

    /** Both commit intervals: while the processor keeps up, and while it reads a backlog. */
    public CommitIntervals commitIntervals() {
        return commitIntervals;
    }

    public int streamThreads() {
        return streamThreads;
    }

    public StoreType storeType() {
        return storeType;
    }

    public Duration dlqRetention() {
        return dlqRetention;
    }

    public RuleSet rules() {
        return rules;
    }

    public Map<String, String> streamsOverrides() {
        return streamsOverrides;
    }

    /** The static membership id to use, or empty for dynamic membership ({@code --group-instance-id none}). */
    public Optional<GroupInstanceId> groupInstanceId() {
        return groupInstanceId;
    }

    /**
     * The Kafka Streams configuration: exactly-once v2, explicit names for every internal topic and
     * store enforced, the pass-through client properties, then the {@code --streams-property} overrides.
     */
    public Properties streamsProperties() {
        Map<String, Object> props = new LinkedHashMap<>(kafka.clientConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Kafka Streams commits at the long interval; FreshCommits asks for the short one while the
        // records are fresh (its class comment says why).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervals.catchUp().toMillis()));
        if (commitIntervals.adaptive()) {
            props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, FreshCommits.class.getName());
            props.put(FreshCommits.COMMIT_INTERVAL_CONFIG, Long.toString(commitIntervals.fresh().toMillis()));
            props.put(FreshCommits.BACKLOG_AGE_CONFIG, Long.toString(commitIntervals.backlogAge().toMillis()));
        }
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(kafka.replication()));
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, storeType.dslStoreSuppliers());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // Kafka 5.0's default, taken now: the topology has no global stores, so it changes nothing,
        // and left unset Kafka Streams warns at every start that it will change.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // The marts are sums of differences that converge whatever order a task reads its input
        // partitions in, so waiting for an empty partition (max.task.idle.ms >= 0) buys nothing; and
        // at 0 Kafka Streams formats a diagnostic string for every record it considers while one
        // input of a task is empty (PartitionGroup.readyToProcess), ~5 % of the stream thread here.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbSettings.class.getName());
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // Kafka Streams' producer default waits up to 100 ms to fill a batch (linger.ms), as long as
        // the commit interval, so under exactly-once almost every record was sent only by the
        // commit's flush and the stream thread waited for all of it there. At 5 ms the sends
        // overlap the processing. Larger fetches (8 MB a partition rather than 1 MB) keep a
        // backlog's records ahead of the thread. ProcessorBenchmark --orders 30000, three
        // alternating rounds on a busy machine: bulk 3,604 events/s mean before, 4,075 after.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Integer.toString(PRODUCER_LINGER_MS));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Integer.toString(MAX_PARTITION_FETCH_BYTES));
        // Restoring a store ends with a fetch at the changelog's end, which the broker holds for
        // fetch.max.wait.ms when there is nothing to return; the state updater restores the tasks
        // in rounds as the stream thread opens their stores, so after a kill -9 (every store is
        // restored then) each round cost half a second, mostly waiting: ~0.5 s a round before,
        // 0.05-0.3 s after (ProcessorRestartIT's child log, 24 tasks). Only restoring (and standby)
        // fetches are affected; the main consumer keeps Kafka's default.
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), Integer.toString(RESTORE_FETCH_MAX_WAIT_MS));
        if (!given(props, StreamsConfig.RETRY_BACKOFF_MS_CONFIG)) {
            shortRetryBackoffs(props);
        }
        // A 1 M-item bulk load filled 10 MB with the order ledger's entries, and every eviction
        // flushes all dirty entries of the evicted store: the delta buffers then wrote their pending
        // sums to their changelogs many times per commit. ProcessorBenchmark --orders 333334, four
        // pairs: 16-23 % fewer internal records and 15 % less stream-thread CPU (means) with 64 MB,
        // no less with 256 MB (stream-processor README, "Record caches").
        @SuppressWarnings("deprecation")
        String deprecatedCacheSize = StreamsConfig.CACHE_MAX_BYTES_BUFFERING_CONFIG;
        if (!given(props, StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG) && !given(props, deprecatedCacheSize)) {
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(STATESTORE_CACHE_MAX_BYTES));
        }
        props.putAll(streamsOverrides);
        Properties properties = new Properties();
        properties.putAll(props);
        return properties;
    }

    /** Whether the user set {@code key}, with {@code --kafka-property} (in {@code props}) or {@code --streams-property}. */
    private boolean given(Map<String, Object> props, String key) {
        return props.containsKey(key) || streamsOverrides.containsKey(key);
    }

    /**
     * Kafka Streams 4.3 sleeps retry.backoff.ms after each internal topic it creates, not once per
     * round (KAFKA-21033), so with Kafka's 100 ms every first start, and every start after
     * {@code reprocess}, waited ~4 s for the topology's ~44 topics. The topics are created by the
     * partition assignor, which runs inside the main consumer and reads that consumer's value, so
     * the main consumer takes the short backoff too (its retries still double up to
     * retry.backoff.max.ms).
     *
     * <p>So does the producer: after a {@code kill -9} its first request, InitProducerId, fences the
     * dead producer, and the broker answers CONCURRENT_TRANSACTIONS until it has aborted the dead
     * one's open transaction; the producer's sender sleeps a whole retry.backoff.ms before each
     * retry (a fixed sleep, not the doubling one), so the fencing took 0.12-0.41 s in steps of
     * 100 ms, and 0.03-0.14 s at 10 ms (ProcessorRestartIT's restarted child, load 3-20). Its produce retries
     * still double up to retry.backoff.max.ms. The restore and global consumers and the admin client
     * keep Kafka's default, each unless the user gave that client (or, for the consumers, every
     * consumer: {@code consumer.retry.backoff.ms}) a value of its own, which Kafka Streams would
     * otherwise rank below these.
     */
    private void shortRetryBackoffs(Map<String, Object> props) {
        String key = StreamsConfig.RETRY_BACKOFF_MS_CONFIG;
        props.put(key, Integer.toString(STREAMS_RETRY_BACKOFF_MS));
        String client = Integer.toString(CLIENT_RETRY_BACKOFF_MS);
        boolean consumersGiven = given(props, StreamsConfig.consumerPrefix(key));
        for (String prefixed : List.of(StreamsConfig.restoreConsumerPrefix(key), StreamsConfig.globalConsumerPrefix(key))) {
            if (!consumersGiven && !given(props, prefixed)) {
                props.put(prefixed, client);
            }
        }
        if (!given(props, StreamsConfig.adminClientPrefix(key))) {
            props.put(StreamsConfig.adminClientPrefix(key), client);
        }
    }

    /** Builder with the defaults of the {@code process} command. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private String applicationId;
        private Path stateDir = Path.of(DEFAULT_STATE_DIR);
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private Duration catchUpCommitInterval;
        private int streamThreads = 1;
        private StoreType storeType = StoreType.ROCKSDB;
        private Duration dlqRetention = DEFAULT_DLQ_RETENTION;
        private RuleSet rules = StagingRules.DEFAULTS;
        private final Map<String, String> streamsOverrides = new LinkedHashMap<>();
        private Optional<GroupInstanceId> groupInstanceId = GroupInstanceId.parse("");

        private Builder(KafkaSettings kafka) {
            this.kafka = kafka;
        }

        /** Null or blank for the default, {@code cdc-marts-processor-<prefix>}. */
        public Builder applicationId(String applicationId) {
            this.applicationId = applicationId;
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        public Builder commitInterval(Duration commitInterval) {
            this.commitInterval = commitInterval;
            return this;
        }

        /** The commit interval while reading a backlog; null for the default (the commit interval: one fixed interval). */
        public Builder catchUpCommitInterval(Duration catchUpCommitInterval) {
            this.catchUpCommitInterval = catchUpCommitInterval;
            return this;
        }

        public Builder streamThreads(int streamThreads) {
            this.streamThreads = streamThreads;
            return this;
        }

        public Builder storeType(StoreType storeType) {
            this.storeType = storeType;
            return this;
        }

        public Builder dlqRetention(Duration dlqRetention) {
            this.dlqRetention = dlqRetention;
            return this;
        }

        /** The staging rules; default the built-in ones. */
        public Builder rules(RuleSet rules) {
            this.rules = rules;
            return this;
        }

        /** A Kafka Streams property applied over everything else. */
        public Builder streamsProperty(String key, String value) {
            this.streamsOverrides.put(key, value);
            return this;
        }

        public Builder streamsProperties(Map<String, String> properties) {
            this.streamsOverrides.putAll(properties);
            return this;
        }

        /** Static membership: {@link GroupInstanceId#parse} of {@code --group-instance-id}; empty for none. */
        public Builder groupInstanceId(Optional<GroupInstanceId> groupInstanceId) {
            this.groupInstanceId = groupInstanceId;
            return this;
        }

        public ProcessorConfig build() {
            return new ProcessorConfig(this);
        }
    }
}
