package io.cdcmarts.capture;

import io.cdcmarts.capture.position.OnMissingSlot;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything {@code cdc-marts capture} needs, parsed and validated once. Build it with
 * {@link #builder(PgDsn, KafkaSettings)}; every key has a default but the two addresses.
 *
 * @param postgres             the source database (its password is never logged)
 * @param kafka                broker, topic prefix, partitions and replication of created topics, client pass-through
 * @param schema               the captured schema; default {@value #DEFAULT_SCHEMA}
 * @param tables               tables of {@code schema} to capture; empty (the default) captures every table of the schema, including ones created later
 * @param publication          the publication capture creates and owns; default {@code cdc_marts_<prefix>}
 * @param slot                 the logical replication slot (plugin pgoutput); default {@code cdc_marts_<prefix>}
 * @param heartbeatInterval    how often Debezium emits a heartbeat so the slot advances while captured tables are idle; default 10 s, zero disables
 * @param heartbeatActionQuery SQL run on each heartbeat (e.g. an UPDATE of a heartbeat table, for a database whose own tables are idle), or null
 * @param snapshotMode         Debezium's snapshot.mode, or {@value #INCREMENTAL} (ours: the first start streams at once and
 *                             takes the initial snapshot as an incremental one, in key chunks that resume where they
 *                             stopped after a restart); default {@value #DEFAULT_SNAPSHOT_MODE} (snapshot once, then stream)
 * @param offsetsFile          where Debezium's offsets are kept instead of the Kafka topic {@code <prefix>.capture.offsets}, or null for Kafka (the default)
 * @param offsetFlushInterval  how often acknowledged offsets are stored; default 5 s
 * @param debezium             further Debezium/engine properties, applied last (they override ours)
 * @param signalTable          Debezium's signaling table, through which {@code capture resnapshot} asks for an
 *                             incremental snapshot of some tables while streaming goes on; default
 *                             {@code cdc_marts.signal_<prefix>} (see {@link SignalTable#defaultFor}), null for none
 * @param onMissingSlot        what to do at start when the stored position is lost (the slot gone or past it);
 *                             default {@link OnMissingSlot#FAIL}
 * @param publicationRefresh   how often capture of a whole schema looks for tables created, or given a key, since
 *                             it started, and publishes them; default 5 s
 * @param snapshotThreads      how many tables a blocking snapshot reads at once (Debezium's snapshot.max.threads); default 1
 */
public record CaptureConfig(PgDsn postgres, KafkaSettings kafka, String schema, List<String> tables,
                            String publication, String slot, Duration heartbeatInterval, String heartbeatActionQuery,
                            String snapshotMode, Path offsetsFile, Duration offsetFlushInterval,
                            Map<String, String> debezium, SignalTable signalTable, OnMissingSlot onMissingSlot,
                            Duration publicationRefresh, int snapshotThreads) {

    public static final String DEFAULT_SCHEMA = "public";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final String DEFAULT_SNAPSHOT_MODE = "initial";
    public static final Duration DEFAULT_OFFSET_FLUSH = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PUBLICATION_REFRESH = Duration.ofSeconds(5);

    /**
     * The snapshot mode of capture's own: Debezium runs {@code no_data} and, at a first start, capture
     * asks through the signal table for an incremental snapshot of every captured table.
     */
    public static final String INCREMENTAL = "incremental";

    /** Debezium 3.6's PostgreSQL snapshot modes, and {@value #INCREMENTAL}. */
    public static final Set<String> SNAPSHOT_MODES = Set.of("initial", "initial_only", "no_data", "never",
            "when_needed", "always", "recovery", "configuration_based", "custom", INCREMENTAL);

    /** More threads than tables buy nothing, and each holds a connection to the source. */
    public static final int MAX_SNAPSHOT_THREADS = 16;

    /** Table names become topic names (<prefix>.raw.<table>): only what a topic name allows. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,200}");
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern PUBLICATION_NAME = Pattern.compile("[A-Za-z0-9_]{1,63}");

    public CaptureConfig {
        if (postgres == null) {
            throw new IllegalArgumentException("--pg-url (CDC_PG_URL) is required");
        }
        Objects.requireNonNull(kafka, "kafka settings");
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("--schema is empty; give the schema to capture (default public)");
        }
        tables = tables == null ? List.of() : List.copyOf(new LinkedHashSet<>(tables));
        for (String t : tables) {
            if (!TABLE_NAME.matcher(t).matches()) {
                throw new IllegalArgumentException("--tables: '" + t + "' is not a table name capture can publish"
                        + " (letters, digits, '_' and '-' only: it becomes the topic name " + kafka.topics().raw(t) + ")");
            }
        }
        if (publication == null || publication.isBlank()) {
            publication = defaultName(kafka.topics().prefix());
        }
        if (!PUBLICATION_NAME.matcher(publication).matches()) {
            throw new IllegalArgumentException("--publication '" + publication
                    + "' is not valid: use 1-63 letters, digits or '_'");
        }
        if (slot == null || slot.isBlank()) {
            slot = defaultName(kafka.topics().prefix());
        }
        if (!SLOT_NAME.matcher(slot).matches()) {
            throw new IllegalArgumentException("--slot '" + slot
                    + "' is not valid: PostgreSQL slot names are 1-63 lower-case letters, digits or '_'");
        }
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT : heartbeatInterval;
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("--heartbeat-ms must be 0 (off) or positive, got " + heartbeatInterval.toMillis());
        }
        if (heartbeatActionQuery != null && heartbeatActionQuery.isBlank()) {
            heartbeatActionQuery = null;
        }
        if (heartbeatActionQuery != null && heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("--heartbeat-action-query needs heartbeats: --heartbeat-ms is 0");
        }
        snapshotMode = snapshotMode == null || snapshotMode.isBlank() ? DEFAULT_SNAPSHOT_MODE
                : snapshotMode.trim().toLowerCase(Locale.ROOT);
        if (!SNAPSHOT_MODES.contains(snapshotMode)) {
            throw new IllegalArgumentException("--snapshot-mode '" + snapshotMode + "' is not one of "
                    + SNAPSHOT_MODES.stream().sorted().toList());
        }
        offsetFlushInterval = offsetFlushInterval == null ? DEFAULT_OFFSET_FLUSH : offsetFlushInterval;
        if (offsetFlushInterval.isNegative() || offsetFlushInterval.isZero()) {
            throw new IllegalArgumentException("--offset-flush-ms must be positive, got " + offsetFlushInterval.toMillis());
        }
        publicationRefresh = publicationRefresh == null ? DEFAULT_PUBLICATION_REFRESH : publicationRefresh;
        if (publicationRefresh.isNegative() || publicationRefresh.isZero()) {
            throw new IllegalArgumentException("--publication-refresh-ms must be positive, got "
                    + publicationRefresh.toMillis());
        }
        if (offsetsFile != null && offsetsFile.toString().isBlank()) {
            offsetsFile = null;
        }
        if (signalTable != null && signalTable.schema().equals(schema)) {
            throw new IllegalArgumentException("--signal-table " + signalTable.qualified() + " is in the captured schema '"
                    + schema + "': its rows would be captured as a table; put it in a schema of its own");
        }
        if (INCREMENTAL.equals(snapshotMode) && signalTable == null) {
            throw new IllegalArgumentException("--snapshot-mode incremental asks for its snapshot through the signal table,"
                    + " but --signal-table is none");
        }
        if (snapshotThreads < 1 || snapshotThreads > MAX_SNAPSHOT_THREADS) {
            throw new IllegalArgumentException("--snapshot-threads must be 1 to " + MAX_SNAPSHOT_THREADS + ", got "
                    + snapshotThreads);
        }
        onMissingSlot = onMissingSlot == null ? OnMissingSlot.FAIL : onMissingSlot;
        debezium = debezium == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(debezium));
        for (Map.Entry<String, String> e : debezium.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException("--debezium needs KEY=VALUE, got '" + e.getKey() + "=" + e.getValue() + "'");
            }
        }
    }

    /** {@code cdc_marts_<prefix>}, made a valid PostgreSQL slot and publication name. */
    public static String defaultName(String topicPrefix) {
        String name = ("cdc_marts_" + topicPrefix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** This configuration with another snapshot mode (a re-snapshot after a lost slot, for one start). */
    public CaptureConfig withSnapshotMode(String mode) {
        return new CaptureConfig(postgres, kafka, schema, tables, publication, slot, heartbeatInterval, heartbeatActionQuery,
                mode, offsetsFile, offsetFlushInterval, debezium, signalTable, onMissingSlot, publicationRefresh,
                snapshotThreads);
    }

    /** The snapshot.mode Debezium runs with: {@value #INCREMENTAL} is ours, Debezium streams from the start then. */
    public String debeziumSnapshotMode() {
        return INCREMENTAL.equals(snapshotMode) ? "no_data" : snapshotMode;
    }

    /** Whether the initial snapshot is an incremental one that capture asks for at a first start. */
    public boolean incrementalInitialSnapshot() {
        return INCREMENTAL.equals(snapshotMode);
    }

    /** Whether offsets are kept in Kafka (the default) rather than a file. */
    public boolean offsetsInKafka() {
        return offsetsFile == null;
    }

    /** Whether the whole schema is captured (no include list). */
    public boolean wholeSchema() {
        return tables.isEmpty();
    }

    public static Builder builder(PgDsn postgres, KafkaSettings kafka) {
        return new Builder(postgres, kafka);
    }

    /** Starts from the defaults; every setter names the key it sets. */
    public static final class Builder {
        private final PgDsn postgres;
        private final KafkaSettings kafka;
        private String schema = DEFAULT_SCHEMA;
        private List<String> tables = List.of();
        private String publication;
        private String slot;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT;
        private String heartbeatActionQuery;
        private Duration publicationRefresh = DEFAULT_PUBLICATION_REFRESH;
        private String snapshotMode = DEFAULT_SNAPSHOT_MODE;
        private Path offsetsFile;
        private Duration offsetFlushInterval = DEFAULT_OFFSET_FLUSH;
        private Map<String, String> debezium = Map.of();
        private SignalTable signalTable;
        private boolean signalTableSet;
        private OnMissingSlot onMissingSlot = OnMissingSlot.FAIL;
        private int snapshotThreads = 1;

        private Builder(PgDsn postgres, KafkaSettings kafka) {
            this.postgres = postgres;
            this.kafka = kafka;
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder tables(List<String> tables) {
            this.tables = tables;
            return this;
        }

        public Builder publication(String publication) {
            this.publication = publication;
            return this;
        }

        public Builder slot(String slot) {
            this.slot = slot;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** {@code --publication-refresh-ms}: how often new tables are looked for and published. */
        public Builder publicationRefresh(Duration publicationRefresh) {
            this.publicationRefresh = publicationRefresh;
            return this;
        }

        public Builder heartbeatActionQuery(String heartbeatActionQuery) {
            this.heartbeatActionQuery = heartbeatActionQuery;
            return this;
        }

        public Builder snapshotMode(String snapshotMode) {
            this.snapshotMode = snapshotMode;
            return this;
        }

        public Builder offsetsFile(Path offsetsFile) {
            this.offsetsFile = offsetsFile;
            return this;
        }

        public Builder offsetFlushInterval(Duration offsetFlushInterval) {
            this.offsetFlushInterval = offsetFlushInterval;
            return this;
        }

        public Builder debezium(Map<String, String> debezium) {
            this.debezium = debezium;
            return this;
        }

        /** {@code --signal-table}: null for no signaling; not called: {@code cdc_marts.signal_<prefix>}. */
        public Builder signalTable(SignalTable signalTable) {
            this.signalTable = signalTable;
            this.signalTableSet = true;
            return this;
        }

        /** {@code --on-missing-slot}: fail (the default) or resnapshot. */
        public Builder onMissingSlot(OnMissingSlot onMissingSlot) {
            this.onMissingSlot = onMissingSlot;
            return this;
        }

        /** {@code --snapshot-threads}: tables a blocking snapshot reads at once. */
        public Builder snapshotThreads(int snapshotThreads) {
            this.snapshotThreads = snapshotThreads;
            return this;
        }

        public CaptureConfig build() {
            SignalTable signal = signalTableSet ? signalTable : SignalTable.defaultFor(kafka.topics().prefix());
            return new CaptureConfig(postgres, kafka, schema, tables, publication, slot, heartbeatInterval,
                    heartbeatActionQuery, snapshotMode, offsetsFile, offsetFlushInterval, debezium, signal,
                    onMissingSlot, publicationRefresh, snapshotThreads);
        }
    }
}
