package io.cdcmarts.sink;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.Durations;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.batch.BatchLimits;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sink's configuration, parsed and validated once. Every key has a flag and an environment
 * variable ({@link SinkCommand}); errors name the flag.
 */
public final class SinkConfig {

    /** {@code --duckdb} / CDC_DUCKDB_PATH: the DuckDB file; its parent directories are created. */
    public static final String DEFAULT_DUCKDB_PATH = "data/cdc-marts.duckdb";
    /** {@code --group-id} / CDC_SINK_GROUP_ID: Kafka consumer group, for lag monitoring only (offsets live in DuckDB). */
    public static final String DEFAULT_GROUP_ID_PREFIX = "cdc-marts-sink-";
    /** {@code --max-poll-records} / CDC_SINK_MAX_POLL_RECORDS: most messages one poll returns. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 20_000;
    /**
     * {@code --max-batch-records} / CDC_SINK_MAX_BATCH_RECORDS: while the sink is behind, polls are
     * folded into one batch (one DuckDB transaction) until it holds this many messages
     * ({@link BatchLimits}). Measured in {@code SinkApplyBenchmark}: above DuckDB's row group of
     * 122,880 rows a table's rows skip the write-ahead log; 200,000 folded rows of a wide table
     * take some hundred MB of heap.
     */
    public static final int DEFAULT_MAX_BATCH_RECORDS = 200_000;
    /**
     * {@code --max-batch-bytes} / CDC_SINK_MAX_BATCH_BYTES: … or until its messages add up to this
     * many bytes. Debezium's envelopes are mostly schema: 256 MB of them fold into well under 100 MB of rows.
     */
    public static final long DEFAULT_MAX_BATCH_BYTES = 256L * 1024 * 1024;
    /** {@code --max-batch-wait} / CDC_SINK_MAX_BATCH_WAIT: … or until its first poll is this old. */
    public static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofSeconds(2);
    /** {@code --poll-timeout} / CDC_SINK_POLL_TIMEOUT: how long one poll waits for messages. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /** {@code --topic-refresh} / CDC_SINK_TOPIC_REFRESH: how soon a new table's topic is picked up. */
    public static final Duration DEFAULT_TOPIC_REFRESH = Duration.ofSeconds(10);
    /** {@code --layers} / CDC_SINK_LAYERS: the layers to sink (dlq includes quality.open_failures). */
    public static final Set<TopicNames.Layer> DEFAULT_LAYERS = EnumSet.allOf(TopicNames.Layer.class);

    /**
     * {@code --replica-every} / CDC_SINK_REPLICA_EVERY: how often the read-only replica
     * ({@code --replica} / CDC_SINK_REPLICA, off by default) is refreshed. Each refresh copies the
     * whole file while the sink waits, so not much more often than a reader needs.
     */
    public static final Duration DEFAULT_REPLICA_EVERY = Duration.ofSeconds(30);
    static final Duration MIN_REPLICA_EVERY = Duration.ofSeconds(1);
    static final Duration MAX_REPLICA_EVERY = Duration.ofHours(24);

    /** Largest poll and batch we accept: a batch is held in memory and written in one transaction. */
    static final int MAX_POLL_RECORDS_LIMIT = 1_000_000;
    /** A fetch big enough for most of a batch of change events with their schemas (~2 KB each) from one partition. */
    static final int DEFAULT_MAX_PARTITION_FETCH_BYTES = 16 * 1024 * 1024;
    /**
     * A fetch waits for this much, or {@link #DEFAULT_FETCH_MAX_WAIT_MS}: a sink that keeps up with a
     * fast stream (a snapshot) otherwise fetched and wrote a DuckDB transaction for every few hundred
     * messages the moment they arrived: in the 1 M-item snapshot some 40 % of its CPU (22–28 s
     * against 13.5–16 s with the wait), and more of the broker's on the many fetches.
     */
    static final int DEFAULT_FETCH_MIN_BYTES = 1024 * 1024;
    /**
     * The longest a fetch waits for {@link #DEFAULT_FETCH_MIN_BYTES}: what a row can be held at the
     * broker when less than that waits (a slow stream). Kafka's default, 500 ms, is how long a fetch
     * that finds nothing waits; with its fetch.min.bytes of 1 any message ends the wait. The broker
     * counts at most max.partition.fetch.bytes of each partition towards the minimum, so a user who
     * sets that below 1 MB makes every fetch of a busy partition wait these 100 ms.
     */
    static final int DEFAULT_FETCH_MAX_WAIT_MS = 100;

    private final Path duckdbPath;
    private final String groupId;
    private final int maxPollRecords;
    private final BatchLimits batchLimits;
    private final Duration pollTimeout;
    private final Duration topicRefresh;
    private final Set<TopicNames.Layer> layers;
    private final KafkaSettings kafka;
    private final Optional<Path> replicaPath;
    private final Duration replicaEvery;

    private SinkConfig(Builder b) {
        this.kafka = Objects.requireNonNull(b.kafka, "kafka settings");
        if (b.duckdbPath == null || b.duckdbPath.toString().isBlank()) {
            throw new IllegalArgumentException("--duckdb (CDC_DUCKDB_PATH) is empty");
        }
        if (b.duckdbPath.toString().contains("?") || b.duckdbPath.toString().contains(";")) {
            throw new IllegalArgumentException("--duckdb " + b.duckdbPath + ": a file path, without ?/; options");
        }
        this.duckdbPath = b.duckdbPath;
        this.groupId = b.groupId == null || b.groupId.isBlank() ? DEFAULT_GROUP_ID_PREFIX + kafka.topics().prefix() : b.groupId.trim();
        if (b.maxPollRecords < 1 || b.maxPollRecords > MAX_POLL_RECORDS_LIMIT) {
            throw new IllegalArgumentException("--max-poll-records must be between 1 and " + MAX_POLL_RECORDS_LIMIT + ", got " + b.maxPollRecords);
        }
        this.maxPollRecords = b.maxPollRecords;
        if (b.maxBatchRecords < 1 || b.maxBatchRecords > MAX_POLL_RECORDS_LIMIT) {
            throw new IllegalArgumentException("--max-batch-records must be between 1 and " + MAX_POLL_RECORDS_LIMIT + ", got " + b.maxBatchRecords);
        }
        if (b.maxBatchWait.isNegative() || b.maxBatchWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("--max-batch-wait must be between 0 and 5m, got " + b.maxBatchWait);
        }
        if (b.maxBatchBytes < 1) {
            throw new IllegalArgumentException("--max-batch-bytes must be more than 0, got " + b.maxBatchBytes);
        }
        this.batchLimits = new BatchLimits(b.maxBatchRecords, b.maxBatchBytes, b.maxBatchWait);
        if (b.pollTimeout.isNegative() || b.pollTimeout.isZero() || b.pollTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("--poll-timeout must be more than 0 and at most 5m, got " + b.pollTimeout);
        }
        this.pollTimeout = b.pollTimeout;
        if (b.topicRefresh.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("--topic-refresh must be at least 100ms, got " + b.topicRefresh);
        }
        this.topicRefresh = b.topicRefresh;
        if (b.layers.isEmpty()) {
            throw new IllegalArgumentException("--layers names no layer; use some of raw,stg,mart,dlq");
        }
        this.layers = Set.copyOf(b.layers);
        this.replicaPath = Optional.ofNullable(b.replicaPath).map(p -> validReplica(p, duckdbPath));
        if (b.replicaEvery.compareTo(MIN_REPLICA_EVERY) < 0 || b.replicaEvery.compareTo(MAX_REPLICA_EVERY) > 0) {
            throw new IllegalArgumentException("--replica-every must be between 1s and 24h, got " + b.replicaEvery);
        }
        this.replicaEvery = b.replicaEvery;
    }

    private static Path validReplica(Path replica, Path duckdb) {
        String text = replica.toString();
        if (text.contains("?") || text.contains(";")) {
            throw new IllegalArgumentException("--replica " + replica + ": a file path, without ?/; options");
        }
        Path r = replica.toAbsolutePath().normalize();
        Path d = duckdb.toAbsolutePath().normalize();
        if (r.equals(d) || r.equals(d.resolveSibling(d.getFileName() + ".wal"))) {
            throw new IllegalArgumentException("--replica " + replica + " is the sink's own file (--duckdb " + duckdb
                    + "); give the replica a path of its own");
        }
        if (Files.isDirectory(r)) {
            throw new IllegalArgumentException("--replica " + replica + " is a directory; give the replica's file name");
        }
        return replica;
    }

    public static Builder builder(KafkaSettings kafka) {
        return new Builder(kafka);
    }

    /** The DuckDB file. */
    public Path duckdbPath() {
        return duckdbPath;
    }

    /** The Kafka consumer group. */
    public String groupId() {
        return groupId;
    }

    public int maxPollRecords() {
        return maxPollRecords;
    }

    /** When the polls folded into the batch in hand are written. */
    public BatchLimits batchLimits() {
        return batchLimits;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    public Duration topicRefresh() {
        return topicRefresh;
    }

    /** The layers sunk; {@link TopicNames.Layer#DLQ} also brings {@code quality.open_failures}. */
    public Set<TopicNames.Layer> layers() {
        return layers;
    }

    /** Where the read-only replica is kept ({@code --replica}), or empty when there is none. */
    public Optional<Path> replicaPath() {
        return replicaPath;
    }

    /** How often the replica is refreshed. */
    public Duration replicaEvery() {
        return replicaEvery;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public TopicNames topics() {
        return kafka.topics();
    }

    /** One regex for every topic the sink reads, so topics of new tables are picked up. */
    public Pattern subscription() {
        StringBuilder re = new StringBuilder();
        for (TopicNames.Layer layer : TopicNames.Layer.values()) {
            if (layers.contains(layer)) {
                re.append(re.length() == 0 ? "" : "|").append("(?:").append(topics().pattern(layer).pattern()).append(')');
            }
        }
        if (layers.contains(TopicNames.Layer.DLQ)) {
            re.append("|(?:").append(Pattern.quote(topics().openFailures())).append(')');
        }
        return Pattern.compile(re.toString());
    }

    /**
     * The consumer's configuration: pass-through properties first, then our defaults where they gave
     * none (fetch sizes and the fetch wait), then what exactly-once needs
     * (auto-commit off, read_committed, our group), which no property can override.
     */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, DEFAULT_MAX_PARTITION_FETCH_BYTES);
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, DEFAULT_FETCH_MIN_BYTES);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, DEFAULT_FETCH_MAX_WAIT_MS);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE, topicRefresh.toMillis()));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    @Override
    public String toString() {
        return "SinkConfig{duckdb=" + duckdbPath + ", groupId=" + groupId + ", maxPollRecords=" + maxPollRecords
                + ", maxBatchRecords=" + batchLimits.maxRecords() + ", maxBatchBytes=" + batchLimits.maxBytes() + ", maxBatchWait=" + batchLimits.maxWait() + ", pollTimeout=" + pollTimeout + ", topicRefresh=" + topicRefresh + ", layers=" + layers
                + ", replica=" + replicaPath.map(Path::toString).orElse("none") + ", replicaEvery=" + replicaEvery
                + ", bootstrap=" + kafka.bootstrap() + ", prefix=" + kafka.topics().prefix() + "}";
    }

    /**
     * {@code raw,stg,mart,dlq} (any subset, any order, case-insensitive; {@code all} for every one).
     *
     * @throws IllegalArgumentException naming {@code --layers}
     */
    public static Set<TopicNames.Layer> parseLayers(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--layers is empty; use some of raw,stg,mart,dlq");
        }
        Set<TopicNames.Layer> out = EnumSet.noneOf(TopicNames.Layer.class);
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("all")) {
                out.addAll(DEFAULT_LAYERS);
                continue;
            }
            TopicNames.Layer layer = null;
            for (TopicNames.Layer l : TopicNames.Layer.values()) {
                if (l.segment().equals(p)) {
                    layer = l;
                }
            }
            if (layer == null) {
                throw new IllegalArgumentException("--layers: unknown layer '" + part.trim() + "'; use some of raw,stg,mart,dlq");
            }
            out.add(layer);
        }
        return out;
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");

    /**
     * {@code 256MB}, {@code 64kb}, {@code 1GB} (powers of 1024) or a bare number of bytes.
     *
     * @throws IllegalArgumentException naming {@code option}
     */
    public static long parseSize(String option, String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a size; use e.g. 256MB, 64KB or 1GB");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(option + ": '" + text + "' is too large");
        }
        return n << shift;
    }

    /**
     * {@code 500ms}, {@code 2s}, {@code 1m}, a bare number of milliseconds, or ISO-8601 ({@code PT0.5S}).
     *
     * @throws IllegalArgumentException naming {@code option}
     */
    public static Duration parseDuration(String option, String text) {
        return Durations.parse(option, text);
    }

    /** Builds a {@link SinkConfig}; unset keys keep their defaults. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private Path duckdbPath = Path.of(DEFAULT_DUCKDB_PATH);
        private String groupId;
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
        private int maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS;
        private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private Duration maxBatchWait = DEFAULT_MAX_BATCH_WAIT;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration topicRefresh = DEFAULT_TOPIC_REFRESH;
        private Set<TopicNames.Layer> layers = DEFAULT_LAYERS;
        private Path replicaPath;
        private Duration replicaEvery = DEFAULT_REPLICA_EVERY;

        private Builder(KafkaSettings kafka) {
            this.kafka = kafka;
        }

        public Builder duckdbPath(Path path) {
            this.duckdbPath = path;
            return this;
        }

        /** Blank or null: {@code cdc-marts-sink-<prefix>}. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder maxPollRecords(int n) {
            this.maxPollRecords = n;
            return this;
        }

        /** 1 writes every poll on its own, whether the sink is behind or not. */
        public Builder maxBatchRecords(int n) {
            this.maxBatchRecords = n;
            return this;
        }

        public Builder maxBatchBytes(long bytes) {
            this.maxBatchBytes = bytes;
            return this;
        }

        public Builder maxBatchWait(Duration wait) {
            this.maxBatchWait = Objects.requireNonNull(wait, "--max-batch-wait");
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = Objects.requireNonNull(timeout, "--poll-timeout");
            return this;
        }

        public Builder topicRefresh(Duration refresh) {
            this.topicRefresh = Objects.requireNonNull(refresh, "--topic-refresh");
            return this;
        }

        public Builder layers(Set<TopicNames.Layer> layers) {
            this.layers = EnumSet.noneOf(TopicNames.Layer.class);
            this.layers.addAll(layers);
            return this;
        }

        public Builder layers(TopicNames.Layer... layers) {
            return layers(Set.copyOf(List.of(layers)));
        }

        /** The read-only replica's path; null or blank keeps none. */
        public Builder replicaPath(Path path) {
            this.replicaPath = path == null || path.toString().isBlank() ? null : path;
            return this;
        }

        public Builder replicaEvery(Duration every) {
            this.replicaEvery = Objects.requireNonNull(every, "--replica-every");
            return this;
        }

        /** @throws IllegalArgumentException naming the option that is wrong */
        public SinkConfig build() {
            return new SinkConfig(this);
        }
    }
}
