package io.cdcmarts.sink;

import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.kafka.KafkaReachability;
import io.cdcmarts.common.kafka.KafkaSchemaLog;
import io.cdcmarts.sink.assign.PartitionDiscovery;
import io.cdcmarts.sink.batch.Backlog;
import io.cdcmarts.sink.batch.Batch;
import io.cdcmarts.sink.batch.BatchBuilder;
import io.cdcmarts.sink.batch.BatchInHand;
import io.cdcmarts.sink.batch.BatchLimits;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.duckdb.DuckDbTables;
import io.cdcmarts.sink.offsets.OffsetStore;
import io.cdcmarts.sink.replica.ReplicaRefresher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code cdc-marts sink}: consumes every layer's topics and writes them into one DuckDB file,
 * exactly once. Each batch is one DuckDB transaction holding the rows, the dead letters and
 * the consumed offsets. A batch is one poll once the sink has caught up; while it is behind, several
 * polls folded into one ({@link BatchLimits}). The sink assigns itself the partitions of its topics
 * ({@link PartitionDiscovery}: no consumer group to wait for after a restart) and starts each at the
 * offset stored in DuckDB (the beginning when there is none), so a crash at any moment neither loses
 * nor repeats a change, and a restarted sink works again at once.
 *
 * <p>{@link #start()} opens the file and starts the poll loop on its own thread; {@link #close()}
 * stops polling, lets the batch in hand commit (or roll back), and closes DuckDB cleanly. A batch
 * that DuckDB refuses is rolled back and retried from the stored offsets with a growing pause; a
 * message that cannot be read is a dead letter and never stops the sink.
 */
public final class SinkService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** How long an empty poll's commit waits for a partition's position: the commit is for lag monitoring only. */
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(1);
    /** How long listing the broker's topics may hold up the poll loop (a broker away: the next refresh tries again). */
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(5);

    private final SinkConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final BatchApplier.BeforeCommit beforeCommit;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicReference<SinkStatus> status = new AtomicReference<>(SinkStatus.initial());
    private final List<Connection> readers = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private final Timer batchTimer;
    private final DistributionSummary batchSize;

    private volatile boolean running;
    private boolean started;
    private boolean closed;
    private Thread loop;
    private DuckDBConnection duckdb;
    private KafkaConsumer<byte[], byte[]> consumer;
    private DuckDbTables tables;
    private BatchApplier applier;
    private BatchBuilder builder;
    /** The schemas of lean raw messages ({@code <prefix>.schemas}), read on the first one. */
    private SchemaDirectory schemas;
    private OffsetStore offsets;
    private Map<TopicPartition, OffsetAndMetadata> lastCommitted = Map.of();
    private BatchInHand inHand;
    private ReplicaRefresher replica;
    private PartitionDiscovery discovery;

    public SinkService(SinkConfig config, MeterRegistry registry) {
        this(config, registry, Clock.systemUTC(), BatchApplier.BeforeCommit.NONE);
    }

    /** With a clock for {@code _ingested_at} and a hook run before each COMMIT (tests simulate crashes with it). */
    SinkService(SinkConfig config, MeterRegistry registry, Clock clock, BatchApplier.BeforeCommit beforeCommit) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.beforeCommit = beforeCommit;
        this.batchTimer = Timer.builder("cdc.sink.batch.duration")
                .description("Time to decode, write and commit one batch").register(registry);
        this.batchSize = DistributionSummary.builder("cdc.sink.batch.records")
                .description("Messages per committed batch").register(registry);
        Gauge.builder("cdc.sink.running", this, s -> s.running ? 1 : 0)
                .description("1 while the poll loop runs").register(registry);
        Gauge.builder("cdc.sink.source.newest.seconds", this, s -> epochSeconds(s.status().newestSourceTs()))
                .description("Newest source commit time applied, epoch seconds").register(registry);
        Gauge.builder("cdc.sink.freshness.seconds", this, SinkService::freshnessSeconds)
                .description("Now minus the newest source commit time applied").register(registry);
    }

    /**
     * Opens (or creates) the DuckDB file, creates the schemas, and starts the poll loop.
     *
     * @throws IllegalStateException when the file cannot be opened (another process holds it …)
     * @throws KafkaReachability.KafkaUnreachableException when no broker answers within {@code --kafka-timeout}
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the sink was already started");
        }
        started = true;
        // Before the file: a sink that cannot reach Kafka has nothing to write, and its consumer would retry forever.
        KafkaReachability.require(config.kafka(), config.groupId() + "-probe");
        duckdb = open(config.duckdbPath());
        try {
            tables = new DuckDbTables(duckdb);
            tables.createLayout();
            applier = new BatchApplier(duckdb, tables);
            schemas = new SchemaDirectory(new KafkaSchemaLog(config.kafka()));
            builder = new BatchBuilder(config.topics(), tables, clock, schemas);
            inHand = new BatchInHand(builder, config.batchLimits());
            offsets = new OffsetStore(duckdb);
            consumer = new KafkaConsumer<>(config.consumerConfig());
            discovery = new PartitionDiscovery(config.subscription(), config.topicRefresh());
            replica = config.replicaPath()
                    .map(path -> new ReplicaRefresher(config.duckdbPath(), path, config.replicaEvery(), clock, registry))
                    .orElse(null);
        } catch (RuntimeException e) {
            closeDuckDb();
            throw e;
        }
        running = true;
        update(s -> s.withRunning(true));
        loop = new Thread(this::run, "cdc-sink");
        loop.start();
        LOG.info("Sink started: {} into {}", config.subscription().pattern(), config.duckdbPath().toAbsolutePath());
        config.replicaPath().ifPresent(path -> LOG.info("Read-only replica at {}, refreshed every {}", path.toAbsolutePath(), config.replicaEvery()));
    }

    /**
     * Completes when the poll loop has ended and DuckDB is closed: normally after {@link #close()},
     * exceptionally when the loop died on an error it cannot retry (the command exits non-zero then).
     */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** What the sink has done so far. */
    public SinkStatus status() {
        return status.get();
    }

    /**
     * Messages not consumed yet per assigned partition, as of the last poll (a partition appears
     * once the consumer knows its end offset). Also the gauge {@code cdc.sink.consumer.lag{topic,partition}}.
     */
    public Map<TopicPartition, Long> consumerLag() {
        return Map.copyOf(lag);
    }

    /**
     * A connection to the same database for reading while the sink writes (queries, dashboard):
     * DuckDB lets no other process open the file, so readers come through the sink. The caller
     * closes it; {@link #close()} closes any left open.
     */
    public Connection openReader() throws SQLException {
        DuckDBConnection c = duckdb;
        if (c == null || closed) {
            throw new IllegalStateException("the sink is not running");
        }
        Connection reader = c.duplicate();
        reader.setAutoCommit(true); // every query sees the latest committed batch
        readers.add(reader);
        return reader;
    }

    /** Stops polling, finishes or rolls back the batch in hand, and closes DuckDB. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        stopping.countDown();
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loop != null) {
            try {
                loop.join(STOP_TIMEOUT.toMillis());
                if (loop.isAlive()) {
                    LOG.warn("The sink's poll loop did not stop within {}; interrupting it", STOP_TIMEOUT);
                    loop.interrupt();
                    loop.join(STOP_TIMEOUT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            closeDuckDb();
            stopped.complete(null);
        }
    }

    // ---- the poll loop ---------------------------------------------------------------------------

    private void run() {
        long failures = 0;
        Throwable fatal = null;
        try {
            while (running) {
                if (discovery.due(consumer.assignment(), System.nanoTime())) {
                    assignTopicsListed();
                }
                if (consumer.assignment().isEmpty()) {
                    // No topic of ours yet (capture and the processor create them): a poll would refuse to run.
                    if (stopping.await(config.pollTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
                recordLag();
                try {
                    if (!records.isEmpty()) {
                        inHand.read(records);
                    }
                    if (!inHand.isEmpty() && (records.isEmpty() || inHand.due(caughtUp()))) {
                        write();
                        failures = 0;
                    } else if (records.isEmpty()) {
                        commitPositionsThatMoved();
                    }
                    if (replica != null) {
                        replica.refreshIfDue(); // between two batches: no DuckDB transaction is open
                    }
                } catch (WakeupException e) {
                    throw e; // close() woke a consumer call after the poll: stopping, not a failed batch
                } catch (Exception e) {
                    failures++;
                    Duration pause = backoff(failures);
                    LOG.error("Batch of {} messages rolled back; retrying from the offsets stored in DuckDB in {}",
                            inHand.isEmpty() ? records.count() : inHand.batch().records(), pause, e);
                    inHand.clear();
                    failed(e);
                    recover();
                    if (stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop while we were polling
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("The sink stopped on an error it cannot retry", e);
            failed(e);
            fatal = e;
        } finally {
            running = false;
            if (fatal == null) {
                writeInHandOnStop();
            } else {
                // An error may have cut a record short mid-fold: nothing of the batch in hand is
                // written (closing the consumer below revokes its partitions, and that writes it).
                inHand.clear();
            }
            update(s -> s.withRunning(false));
            if (replica != null) {
                replica.close(); // lets a refresh being published finish: it works on its own copy only
            }
            closeConsumer();
            schemas.close();
            closeDuckDb();
            LOG.info("Sink stopped; {} closed", config.duckdbPath());
            if (fatal == null) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(fatal);
            }
        }
    }

    /**
     * Whether the sink has as good as caught up: fewer messages wait in its partitions, as of their
     * last fetch, than one poll returns ({@link Backlog}), so the batch in hand is written now.
     */
    private boolean caughtUp() {
        Backlog backlog = new Backlog();
        for (TopicPartition tp : consumer.assignment()) {
            backlog.add(consumer.currentLag(tp));
        }
        return !backlog.behind(config.maxPollRecords());
    }

    /** Writes and commits the batch in hand, then tells Kafka how far the sink got. */
    private void write() throws Exception {
        Batch batch = inHand.batch();
        long start = System.nanoTime();
        BatchApplier.Applied applied = applier.apply(batch, beforeCommit);
        Duration took = inHand.readingTime().plusNanos(System.nanoTime() - start);
        inHand.clear();
        batchTimer.record(took);
        batchSize.record(batch.records());
        applied.rowsBySchema().forEach((schema, n) -> counter("cdc.sink.rows.applied", schema).increment(n));
        batch.consumedByLayer().forEach((layer, n) -> counter("cdc.sink.records.consumed", layer).increment(n));
        batch.malformedByLayer().forEach((layer, n) -> counter("cdc.sink.malformed", layer).increment(n));
        batch.unknownTombstonesByLayer().forEach((layer, n) -> counter("cdc.sink.tombstones.unknown.table", layer).increment(n));
        int malformed = batch.malformedByLayer().values().stream().mapToInt(Integer::intValue).sum();
        Instant committedAt = clock.instant();
        update(s -> {
            Map<String, Long> rows = new TreeMap<>(s.rowsApplied());
            applied.rowsBySchema().forEach((schema, n) -> rows.merge(schema, n, Long::sum));
            Instant newest = s.newestSourceTs();
            if (batch.newestSourceTs() != null && (newest == null || batch.newestSourceTs().isAfter(newest))) {
                newest = batch.newestSourceTs();
            }
            return new SinkStatus(s.running(), rows, s.batches() + 1, batch.records(), took, committedAt, newest,
                    s.malformed() + malformed, s.failedBatches(), s.lastError(), s.lastErrorAt(), s.partitions());
        });
        LOG.debug("Committed batch: {} messages, rows {} , {} dead letters, in {} ms", batch.records(),
                applied.rowsBySchema(), applied.deadLetters(), took.toMillis());
        commitToKafka(batch.nextOffsets());
    }

    /**
     * A clean stop writes what was read: a drain that saw the sink's lag reach zero may stop it
     * right after its last poll. If that fails, the messages are read again at the next start.
     */
    private void writeInHandOnStop() {
        if (inHand == null || inHand.isEmpty()) {
            return;
        }
        int records = inHand.batch().records();
        try {
            write();
        } catch (WakeupException e) {
            // close() woke the consumer while no poll ran: the batch is committed in DuckDB, and only
            // the lag-monitoring commit to Kafka that follows it was cut short
        } catch (Exception e) {
            LOG.warn("Could not write the last {} messages read before stopping; the next start reads them again", records, e);
            inHand.clear();
        }
    }

    /** Kafka's committed offsets follow DuckDB's, for lag monitoring only: the sink never resumes from them. */
    private void commitToKafka(Map<TopicPartition, Long> next) {
        // At the consumer's position, not "last record + 1": the processor's exactly-once writes
        // end each transaction with a marker after the last record, and a commit short of it would
        // show every transactional topic one message behind forever in `status` and lag metrics.
        // After a successful batch the position is just past that batch (the batch holds every poll since the last one).
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(Math.max(offset, consumer.position(tp)))));
        send(offsets);
    }

    /**
     * An empty poll may still have moved past transaction markers or aborted records (a topic whose
     * last transaction ended after the last batch, or was aborted); commit those positions so the
     * lag they leave reads zero. A partition this run has not committed yet is committed too: after
     * a restart its only news may be such a marker, and no batch would ever commit past it.
     */
    private void commitPositionsThatMoved() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position;
            try {
                position = consumer.position(tp, POSITION_TIMEOUT);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                continue; // no position yet (a leader away): lag monitoring can wait for the next empty poll
            }
            OffsetAndMetadata committed = lastCommitted.get(tp);
            if (committed == null || position > committed.offset()) {
                offsets.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (!offsets.isEmpty()) {
            send(offsets);
        }
    }

    /**
     * A commit that failed is forgotten where nothing newer was sent since, so the next empty poll
     * sends it again ({@link #commitPositionsThatMoved}). Callbacks run on the poll thread.
     */
    private void forgetCommitted(Map<TopicPartition, OffsetAndMetadata> failed) {
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(lastCommitted);
        failed.forEach((tp, offset) -> all.remove(tp, offset));
        lastCommitted = Map.copyOf(all);
    }

    /** Commits these partitions' offsets; {@link #lastCommitted} keeps the newest of every partition. */
    private void send(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(lastCommitted);
        all.putAll(offsets);
        lastCommitted = Map.copyOf(all);
        consumer.commitAsync(offsets, (done, e) -> {
            if (e != null) {
                LOG.debug("Could not commit offsets to Kafka (lag monitoring only): {}", e.getMessage());
                forgetCommitted(offsets);
            }
        });
    }

    /**
     * After a rolled-back batch: read the catalog again and rewind every partition to DuckDB's
     * offsets. A rewind that fails stops the sink: polling on from where the dropped batch ended
     * would skip its messages for good.
     */
    private void recover() {
        try {
            tables.invalidate();
            applier.reset();
            seekToStored(consumer.assignment());
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not rewind to the offsets stored in DuckDB after a rolled-back batch; "
                    + "stopping rather than skipping its messages", e);
        }
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> stored = offsets.load();
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp);
            if (next == null) {
                fresh.add(tp);
            } else {
                consumer.seek(tp, next);
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
        LOG.info("Resuming {} partitions from the offsets stored in DuckDB ({} from the beginning)", partitions.size(), fresh.size());
    }

    /**
     * Assigns the partitions of the topics the broker lists now: new ones (a new table's topic, added
     * partitions) start at DuckDB's offsets; partitions that are gone (a deleted topic) are dropped
     * after the batch in hand is written, since a partition assigned again later starts from DuckDB's
     * offsets and would read that batch a second time otherwise.
     */
    private void assignTopicsListed() {
        Map<String, List<PartitionInfo>> listed;
        try {
            listed = consumer.listTopics(LIST_TIMEOUT);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("Could not list the topics within {} (the broker away?); trying again at the next refresh", LIST_TIMEOUT);
            return;
        } finally {
            discovery.listedAt(System.nanoTime());
        }
        Set<TopicPartition> wanted = discovery.matching(listed);
        Set<TopicPartition> assigned = consumer.assignment();
        if (wanted.equals(assigned)) {
            return;
        }
        boolean rewind = false;
        if (!wanted.containsAll(assigned) && !inHand.isEmpty()) {
            try {
                write();
            } catch (Exception e) {
                LOG.warn("Could not write the batch in hand before dropping partitions; it is read again from the stored offsets", e);
                inHand.clear();
                failed(e);
                rewind = true;
            }
        }
        Set<TopicPartition> added = new HashSet<>(wanted);
        added.removeAll(assigned);
        consumer.assign(wanted);
        update(s -> s.withPartitions(wanted.size()));
        if (rewind) {
            recover(); // the kept partitions too: their position is past the batch just dropped
        } else {
            seekToStored(added);
        }
    }

    // ---- bookkeeping -----------------------------------------------------------------------------

    private void recordLag() {
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(n -> {
                if (lag.put(tp, n) == null) {
                    Gauge.builder("cdc.sink.consumer.lag", lag, m -> m.getOrDefault(tp, 0L))
                            .description("Messages of the partition not consumed yet, as of the last poll")
                            .tag("topic", tp.topic()).tag("partition", Integer.toString(tp.partition()))
                            .register(registry);
                }
            });
        }
    }

    private void failed(Throwable e) {
        counter("cdc.sink.batch.failures", null).increment();
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        Instant at = clock.instant();
        update(s -> s.withFailure(message, at));
    }

    private void update(java.util.function.UnaryOperator<SinkStatus> change) {
        status.updateAndGet(change);
    }

    private Counter counter(String name, String layer) {
        return counters.computeIfAbsent(name + "|" + layer, k -> {
            Counter.Builder b = Counter.builder(name);
            if (layer != null) {
                b.tag("layer", layer);
            }
            return b.register(registry);
        });
    }

    private static Duration backoff(long failures) {
        long seconds = 1L << Math.min(failures - 1, 5);
        Duration d = Duration.ofSeconds(seconds);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static double epochSeconds(Instant i) {
        return i == null ? Double.NaN : i.toEpochMilli() / 1000.0;
    }

    private double freshnessSeconds() {
        Instant newest = status().newestSourceTs();
        return newest == null ? Double.NaN : Duration.between(newest, clock.instant()).toMillis() / 1000.0;
    }

    // ---- resources -------------------------------------------------------------------------------

    /**
     * Opens (or creates) a sink's DuckDB file read-write with auto-commit off, creating its
     * directory; {@code cdc-marts rebuild} opens its new file the same way.
     *
     * @throws IllegalStateException naming the file, and the one-writer lock when that is the cause
     */
    public static DuckDBConnection open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of --duckdb " + file + ": " + e.getMessage(), e);
        }
        try {
            DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + absolute);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("lock")) {
                throw new IllegalStateException("DuckDB file " + file + " is held by another process (another sink?): "
                        + "only one process may open it read-write", e);
            }
            throw new IllegalStateException("cannot open DuckDB file " + file + ": " + msg, e);
        }
    }

    private void closeConsumer() {
        if (consumer == null) {
            return;
        }
        try {
            if (!lastCommitted.isEmpty()) {
                consumer.commitSync(lastCommitted, Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not commit the last offsets to Kafka (lag monitoring only): {}", e.getMessage());
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warn("Kafka consumer did not close cleanly: {}", e.getMessage());
        }
    }

    private void closeDuckDb() {
        for (Connection r : readers) {
            try {
                r.close();
            } catch (SQLException e) {
                LOG.debug("reader close: {}", e.getMessage());
            }
        }
        readers.clear();
        DuckDBConnection c = duckdb;
        if (c == null) {
            return;
        }
        try {
            c.rollback(); // nothing is open between batches (a batch is written whole or rolled back)
            c.close();
        } catch (SQLException e) {
            LOG.error("DuckDB file {} did not close cleanly", config.duckdbPath(), e);
        }
    }
}
