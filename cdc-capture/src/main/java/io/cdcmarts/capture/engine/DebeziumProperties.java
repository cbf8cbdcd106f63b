package io.cdcmarts.capture.engine;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.publication.TableDrops;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.event.RawChangeEvent;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The Debezium embedded-engine and PostgreSQL-connector properties for a {@link CaptureConfig}.
 * What the product contract fixes is set here (pgoutput, our publication and never an
 * auto-created one, precise decimals, tombstones after deletes, heartbeats, a durable offset
 * store); {@code --debezium KEY=VALUE} entries are applied last and win.
 */
public final class DebeziumProperties {

    /** Debezium's connector for PostgreSQL. */
    public static final String CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";
    /** Connect's Kafka offset store, owning its admin client (see {@link ClosingKafkaOffsetBackingStore}). */
    public static final String KAFKA_OFFSET_STORE = ClosingKafkaOffsetBackingStore.class.getName();
    public static final String FILE_OFFSET_STORE = "org.apache.kafka.connect.storage.FileOffsetBackingStore";

    /** The prefix of the logical decoding messages capture's heartbeats write (never sent to Kafka). */
    public static final String HEARTBEAT_MESSAGE_PREFIX = "cdc-marts-heartbeat";

    /**
     * The default heartbeat action: a non-transactional logical decoding message. pgoutput passes it
     * to Debezium whatever the publication holds, so the heartbeat carries a fresh LSN and the slot
     * advances even while only tables outside the capture change (a heartbeat alone repeats the LSN
     * of the last captured change).
     */
    public static final String HEARTBEAT_MESSAGE_QUERY =
            "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', '')";

    /**
     * Debezium's poll.interval.ms: how long a batch may wait to fill up (its default is 500). Not
     * less: Debezium's queue (3.6) waits in whole milliseconds and spins through the last fraction
     * of a millisecond of each wait, so at 10 ms its poll thread used 0.04–0.07 of a core even with the shop idle.
     */
    public static final long POLL_INTERVAL_MS = 25;

    /** Events Debezium hands over per batch (its max.batch.size; Debezium's default is 2048). */
    public static final int MAX_BATCH_SIZE = 4096;
    /** How long Debezium waits before it restarts the connector after a retriable error (its default: 10 s). */
    public static final long RETRIABLE_RESTART_WAIT_MS = 2_000;

    /** libpq SSL parameters of the DSN that Debezium takes as database.* properties. */
    private static final List<String> SSL_PARAMS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword",
            "sslfactory");

    private DebeziumProperties() {
    }

    /**
     * @param config   the capture configuration
     * @param excluded tables of the schema not to capture (no primary key, or a name no topic can carry);
     *                 ignored when the configuration lists its tables
     * @param heartbeatMessages whether heartbeats may emit a logical decoding message when no
     *                          {@code --heartbeat-action-query} is given (the user may call
     *                          pg_logical_emit_message)
     */
    public static Properties of(CaptureConfig config, Collection<String> excluded, boolean heartbeatMessages) {
        return of(config, excluded, heartbeatMessages, config.signalTable());
    }

    /**
     * {@link #of(CaptureConfig, Collection, boolean)} with the signal table capture could set up
     * (null: none, e.g. the user may not create it), which may differ from the configured one.
     */
    public static Properties of(CaptureConfig config, Collection<String> excluded, boolean heartbeatMessages,
                                SignalTable signal) {
        Properties p = new Properties();
        String prefix = config.kafka().topics().prefix();
        p.setProperty("name", "cdc-marts-capture-" + prefix);
        p.setProperty("connector.class", CONNECTOR);

        PgDsn pg = config.postgres();
        p.setProperty("database.hostname", pg.host());
        p.setProperty("database.port", Integer.toString(pg.port()));
        p.setProperty("database.user", pg.user());
        if (pg.password() != null) {
            p.setProperty("database.password", pg.password());
        }
        p.setProperty("database.dbname", pg.database());
        for (String param : SSL_PARAMS) {
            String v = pg.params().get(param);
            if (v != null) {
                p.setProperty("database." + param, v);
            }
        }

        // Debezium's own topic names only route records inside this process: <prefix>.<schema>.<table>.
        p.setProperty("topic.prefix", prefix);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", config.slot());
        p.setProperty("publication.name", config.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("schema.include.list", regex(config.schema()));
        if (!config.wholeSchema()) {
            p.setProperty("table.include.list", tableList(config.schema(), config.tables()));
        } else if (!excluded.isEmpty()) {
            p.setProperty("table.exclude.list", tableList(config.schema(), excluded));
        }

        p.setProperty("decimal.handling.mode", "precise");
        // ... except a NUMERIC without precision: exact text, NaN and infinities included.
        p.setProperty("converters", "unconstrainednumeric,pgarray,composite");
        // Composite types as PostgreSQL's text: Debezium has no mapping and dropped the column; its
        // stream hands over the text of a type it does not know only with include.unknown.datatypes.
        p.setProperty("composite.type", CompositeTypeConverter.class.getName());
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("unconstrainednumeric.type", UnconstrainedNumericConverter.class.getName());
        // Arrays as PostgreSQL's text (n-D ones included), parsed into DuckDB lists by the sink; the
        // converter reads each array column's declared dimensions from the catalog.
        p.setProperty("pgarray.type", PgArrayConverter.class.getName());
        p.setProperty("pgarray." + PgArrayConverter.JDBC_URL, pg.jdbcUrl());
        pg.jdbcProperties().forEach((k, v) -> p.setProperty("pgarray." + PgArrayConverter.JDBC_PREFIX + k, String.valueOf(v)));
        // Intervals as ISO 8601 text, months, days and seconds apart: the default (microseconds,
        // a month counted as 30.4375 days) cannot be turned back into PostgreSQL's value.
        p.setProperty("interval.handling.mode", "string");
        // A placeholder no text value can equal (see RawChangeEvent.UNAVAILABLE_VALUE).
        p.setProperty("unavailable.value.placeholder", RawChangeEvent.UNAVAILABLE_VALUE);
        // A primary-key change's create carries the placeholder under a key consumers have no row for:
        // read those columns again by the new key (PrimaryKeyChangeReselector; plain updates keep theirs).
        p.setProperty("post.processors", "reselector");
        p.setProperty("post.processors.reselector.type", PrimaryKeyChangeReselector.class.getName());
        p.setProperty("post.processors.reselector.reselect.unavailable.values", "true");
        p.setProperty("post.processors.reselector.reselect.null.values", "false");
        p.setProperty("tombstones.on.delete", "true");
        // TRUNCATE is an event too (Debezium skips it by default): the sink empties the table.
        p.setProperty("skipped.operations", "none");
        p.setProperty("snapshot.mode", config.debeziumSnapshotMode());
        if (config.snapshotThreads() > 1) {
            // Tables read side by side, each on a connection of its own in the snapshot's exported
            // transaction, so they still see one consistent state.
            p.setProperty("snapshot.max.threads", Integer.toString(config.snapshotThreads()));
        }
        p.setProperty("heartbeat.interval.ms", Long.toString(config.heartbeatInterval().toMillis()));
        if (config.heartbeatActionQuery() != null) {
            p.setProperty("heartbeat.action.query", config.heartbeatActionQuery());
        } else if (heartbeatMessages && !config.heartbeatInterval().isZero()) {
            p.setProperty("heartbeat.action.query", HEARTBEAT_MESSAGE_QUERY);
            // and the keeper's dropped-table messages (TableDrops); without a list Debezium takes every prefix
            p.setProperty("message.prefix.include.list", HEARTBEAT_MESSAGE_PREFIX + "," + TableDrops.MESSAGE_PREFIX);
        }
        if (signal != null) {
            // `capture resnapshot` inserts execute-snapshot signals here; Debezium reads them from the
            // WAL (the table is in the publication) and writes its chunk watermarks into it.
            p.setProperty("signal.data.collection", signal.qualified());
            p.setProperty("signal.enabled.channels", "source");
            // Chunks of 10k rows instead of 1k: ten times fewer watermark round trips for a large table.
            p.setProperty("incremental.snapshot.chunk.size", "10240");
        }
        // Freshness: Debezium's queue hands a batch over once it holds max.batch.size events or
        // this long has passed, so below ~40k events/s every batch waited the whole 100 ms (and
        // the replication reader sleeps as long when the stream is empty). A snapshot or a backlog
        // still fills whole batches; a steady stream gets batches of 25 ms.
        p.setProperty("poll.interval.ms", Long.toString(POLL_INTERVAL_MS));
        // A lost connection to PostgreSQL (a restart, a failover) is retriable: Debezium restarts the
        // connector after this wait, 10 s by default, which was most of the time capture took to work
        // again after a PostgreSQL restart (FaultsUnderLoadIT). Each try is one connection attempt.
        p.setProperty("retriable.restart.connector.wait.ms", Long.toString(RETRIABLE_RESTART_WAIT_MS));
        // Snapshot throughput: each batch waits for all its acknowledgements, so batches of 4096
        // instead of 2048 halve those waits; the queue holds four batches so the snapshot reader
        // keeps reading while one is sent (CaptureBenchmark; about 10 KB of heap per queued event).
        p.setProperty("max.batch.size", Integer.toString(MAX_BATCH_SIZE));
        p.setProperty("max.queue.size", Integer.toString(4 * MAX_BATCH_SIZE));

        p.setProperty("offset.flush.interval.ms", Long.toString(config.offsetFlushInterval().toMillis()));
        if (config.offsetsInKafka()) {
            p.setProperty("offset.storage", KAFKA_OFFSET_STORE);
            p.setProperty("offset.storage.topic", config.kafka().topics().captureOffsets());
            p.setProperty("offset.storage.partitions", "1");
            p.setProperty("offset.storage.replication.factor", Short.toString(config.kafka().replication()));
            // The offset store's own producer, consumer and admin read the worker-level client settings.
            for (Map.Entry<String, Object> e : config.kafka().clientConfig().entrySet()) {
                p.setProperty(e.getKey(), String.valueOf(e.getValue()));
            }
        } else {
            p.setProperty("offset.storage", FILE_OFFSET_STORE);
            p.setProperty("offset.storage.file.filename", config.offsetsFile().toAbsolutePath().toString());
        }

        config.debezium().forEach(p::setProperty);
        return p;
    }

    /** The engine's name: the first part of the key its offsets are stored under. */
    public static String engineName(CaptureConfig config) {
        return config.debezium().getOrDefault("name", "cdc-marts-capture-" + config.kafka().topics().prefix());
    }

    /** Debezium's logical server name (topic.prefix): the second part of that key. */
    public static String serverName(CaptureConfig config) {
        return config.debezium().getOrDefault("topic.prefix", config.kafka().topics().prefix());
    }

    private static String tableList(String schema, Collection<String> tables) {
        return tables.stream().map(t -> regex(schema) + "\\." + regex(t)).collect(Collectors.joining(","));
    }

    /** A name as an exact-match Debezium filter regex. */
    static String regex(String name) {
        return name.replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
    }
}
