package io.cdcmarts.capture;

import io.cdcmarts.capture.CaptureStatus.State;
import io.cdcmarts.capture.engine.DebeziumProperties;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.capture.generated.GeneratedColumnFiller;
import io.cdcmarts.capture.generated.GeneratedColumnReport;
import io.cdcmarts.capture.generated.TableShape;
import io.cdcmarts.capture.kafka.CaptureProgress;
import io.cdcmarts.capture.kafka.KafkaChangeConsumer;
import io.cdcmarts.capture.position.OnMissingSlot;
import io.cdcmarts.capture.position.SlotCheck;
import io.cdcmarts.capture.position.StoredOffset;
import io.cdcmarts.capture.postgres.SourceDatabase;
import io.cdcmarts.capture.postgres.SourceTable;
import io.cdcmarts.capture.publication.PublicationKeeper;
import io.cdcmarts.capture.publication.TableDrops;
import io.cdcmarts.capture.publication.TablesWhileStopped;
import io.cdcmarts.capture.publication.TableSelection;
import io.cdcmarts.common.Secrets;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.kafka.KafkaReachability;
import io.cdcmarts.common.kafka.TopicAdmin;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code cdc-marts capture} as a component: PostgreSQL (pgoutput) → Debezium embedded engine →
 * one compacted Kafka topic per table ({@code <prefix>.raw.<table>}).
 *
 * <p>{@link #start()} checks the source (reachable, {@code wal_level=logical}), creates or updates
 * the publication, creates the topics, and starts the engine on its own thread; it returns once the
 * connector task runs, or throws. {@link #close()} stops the engine (offsets of acknowledged events
 * are stored) and flushes the producer. The launcher runs it in-process for {@code cdc-marts local};
 * {@link CaptureCommand} runs it alone.
 */
public final class CaptureService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    /** Replaced once at start by a re-snapshot ({@link #checkSlot}); read by other threads through {@link #config()}. */
    private volatile CaptureConfig config;
    private final CaptureProgress progress;
    private final List<Consumer<Throwable>> failureListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> taskStarted = new CompletableFuture<>();
    private final CompletableFuture<Void> engineDone = new CompletableFuture<>();

    private SourceDatabase database;
    private PublicationKeeper keeper;
    private TableSelection tableSelection;
    private TopicAdmin topicAdmin;
    private Producer<byte[], byte[]> producer;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService engineThread;
    private volatile boolean closing;
    /** No position was stored: this start takes the initial snapshot ({@link #checkSlot}). */
    private boolean firstStart;

    /**
     * @param config   what to capture and where to
     * @param registry where the capture meters go (a Prometheus registry in production, a simple one in tests)
     */
    public CaptureService(CaptureConfig config, MeterRegistry registry) {
        this.config = config;
        this.progress = new CaptureProgress(registry);
    }

    /**
     * Runs {@code listener} when the engine stops by itself with an error after a successful start
     * (a lost source, a Kafka send that failed), so a foreground command can exit non-zero.
     */
    public void onFailure(Consumer<Throwable> listener) {
        failureListeners.add(listener);
    }

    /**
     * Checks the source, prepares the publication and topics, and starts capturing.
     *
     * @throws CaptureException with a message naming what is wrong and where (never a password)
     */
    public synchronized void start() {
        if (progress.state() != State.NEW) {
            throw new IllegalStateException("capture was already started (state " + progress.state() + ")");
        }
        progress.state(State.STARTING);
        try {
            doStart();
            progress.state(State.RUNNING);
        } catch (RuntimeException e) {
            progress.state(State.FAILED);
            progress.error(Secrets.redact(e.getMessage()));
            releaseAfterFailedStart();
            throw e;
        }
    }

    private void doStart() {
        TopicNames topics = config.kafka().topics();
        LOG.info("Starting capture of {} schema '{}'{} into {}.raw.<table> on {} (slot {}, publication {})",
                config.postgres(), config.schema(), config.wholeSchema() ? "" : " tables " + config.tables(),
                topics.prefix(), config.kafka().bootstrap(), config.slot(), config.publication());

        // Kafka first: without it nothing read from the slot could be delivered.
        KafkaReachability.require(config.kafka(), "cdc-capture-" + topics.prefix() + "-probe");
        database = SourceDatabase.connect(config.postgres(), config.schema());
        database.requireLogicalWal();
        int major = database.majorVersion();
        if (!database.schemaExists()) {
            throw new CaptureException("schema '" + config.schema() + "' does not exist on PostgreSQL at "
                    + database.where() + " (--schema)");
        }
        checkSlot();
        Selection selection = select(database.tables());
        if (firstStart && config.incrementalInitialSnapshot()) {
            requireIncrementallyReadable(selection.captured());
        }
        SignalTable signal = signalTable();
        if (firstStart && config.incrementalInitialSnapshot() && signal == null) {
            throw new CaptureException("--snapshot-mode incremental takes the initial snapshot through the signal table "
                    + config.signalTable().qualified() + ", which capture cannot use (see the warning above): fix that, or"
                    + " use --snapshot-mode initial");
        }
        topicAdmin = TopicAdmin.create(new HashMap<>(config.kafka().clientConfig()), config.kafka().partitions(),
                config.kafka().replication());
        // Before the publication takes a table made again under an old name: see TablesWhileStopped.
        TablesWhileStopped whileStopped = tablesWhileStopped(selection.captured());
        List<String> publishedLate = new ArrayList<>(database.ensurePublication(config.publication(), selection.captured(), major, signal));
        whileStopped.unsent().stream().filter(t -> !publishedLate.contains(t)).forEach(publishedLate::add);

        GeneratedColumnFiller filler = generatedColumns(major, selection.captured());
        boolean heartbeatMessages = heartbeatMessages();
        if (filler == null) {
            // only the filler reads the catalog later: no idle connection to hold
            database.close();
            database = null;
        }

        List<NewTopic> needed = new ArrayList<>();
        if (config.offsetsInKafka()) {
            // One partition: Debezium's offsets are a handful of keys, and order matters within each.
            needed.add(new NewTopic(topics.captureOffsets(), Optional.of(1), Optional.of(config.kafka().replication()))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        // The raw messages' schemas, before the first is written: a topic created just before a send
        // has the producer warn while its metadata is not there yet.
        needed.add(topicAdmin.schemaLog(topics.schemas()));
        selection.captured().forEach(t -> needed.add(topicAdmin.compacted(topics.raw(t))));
        topicAdmin.ensure(needed);

        producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        TopicAdmin admin = topicAdmin;
        KafkaChangeConsumer consumer = new KafkaChangeConsumer(producer, t -> admin.ensure(admin.compacted(t)), topics,
                topics.prefix(),
                config.schema(), filler, progress, config.wholeSchema() ? config.publication() : null);
        consumer.goneWhileStopped(whileStopped.gone());

        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(DebeziumProperties.of(config, selection.excluded(), heartbeatMessages, signal))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        taskStarted.complete(null);
                    }
                })
                .using(this::engineCompleted)
                .notifying(consumer)
                .build();
        engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "cdc-capture-engine"));
        engineThread.execute(engine);
        awaitTaskStarted();
        startKeeper(major, signal, publishedLate);
        if (firstStart && config.incrementalInitialSnapshot()) {
            requestInitialSnapshot(signal, selection.captured());
        }
        LOG.info("Capture running: {} table(s) of schema '{}' on PostgreSQL {}, snapshot mode {}, offsets in {}",
                selection.captured().size(), config.schema(), major, config.snapshotMode(),
                config.offsetsInKafka() ? "topic " + topics.captureOffsets() : config.offsetsFile());
    }

    /**
     * Fails with one line, or re-snapshots when asked to, if the stored position is lost; fails when
     * the slot's name is taken by another database ({@link SlotCheck}).
     */
    private void checkSlot() {
        Optional<StoredOffset> stored = StoredOffset.read(config);
        firstStart = stored.isEmpty();
        SlotCheck check = SlotCheck.of(config, database.where(), database.database(), database.replicationSlot(config.slot()),
                stored);
        Optional<String> lost = check.lost();
        if (lost.isEmpty()) {
            return;
        }
        if (config.onMissingSlot() == OnMissingSlot.FAIL) {
            throw new CaptureException(lost.get());
        }
        LOG.warn("Replication slot {} lost the stored position ({}); --on-missing-slot=resnapshot: taking a new snapshot of"
                + " every table into the same topics", config.slot(), StoredOffset.where(config));
        config = config.withSnapshotMode("when_needed");
    }

    /**
     * At a restart of a whole-schema capture, the tables dropped, made again or renamed while it
     * was stopped ({@link TablesWhileStopped}): the gone ones get the drop marker now, in the WAL
     * after every change still in the slot; the caller sends the others whole. Nothing at a first
     * start, nor when the slot is new (a message before it would not be in it), nor for --tables.
     */
    private TablesWhileStopped tablesWhileStopped(List<String> captured) {
        if (!config.wholeSchema() || firstStart || database.replicationSlot(config.slot()).isEmpty()) {
            return TablesWhileStopped.NONE;
        }
        TablesWhileStopped found = TablesWhileStopped.between(rawTopicTables(), database.tableIds().keySet(), captured,
                database.publishedTables(config.publication()));
        TableDrops.mark(database, config.publication(), found.gone(), "since capture last ran");
        if (!found.unsent().isEmpty()) {
            LOG.info("Tables {} are captured but were never sent downstream under this name (renamed while capture was stopped?):"
                    + " sending them whole", found.unsent());
        }
        return found;
    }

    /** The tables that have a raw topic under this prefix. */
    private Set<String> rawTopicTables() {
        String prefix = config.kafka().topics().raw("");
        try {
            return topicAdmin.admin().listTopics().names().get(config.kafka().timeout().toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(t -> t.startsWith(prefix) && t.indexOf('.', prefix.length()) < 0)
                    .map(t -> t.substring(prefix.length()))
                    .collect(Collectors.toSet());
        } catch (ExecutionException | TimeoutException e) {
            throw new CaptureException("cannot list the topics on " + config.kafka().bootstrap() + ": " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while listing the topics", e);
        }
    }

    /**
     * {@code --snapshot-mode incremental}: Debezium streams from the slot it just made, and every
     * captured table is read as an incremental snapshot in primary-key chunks interleaved with the
     * stream. Debezium keeps the snapshot's progress in its offsets, so a restart (also after a
     * crash, from the last stored offset) goes on from the chunk it had reached instead of reading
     * the tables again from the start. Should capture stop before Debezium stored any offset, the
     * next start is a first start again and asks again: the rows come twice, which upserts absorb.
     */
    private void requestInitialSnapshot(SignalTable signal, List<String> tables) {
        if (tables.isEmpty()) {
            return;
        }
        try (SourceDatabase db = SourceDatabase.connect(config.postgres(), config.schema())) {
            String id = db.requestSnapshot(signal, tables);
            LOG.info("Initial snapshot of {} table(s) asked for as an incremental one (signal {}); streaming runs beside it",
                    tables.size(), id);
        }
    }

    /**
     * {@code --snapshot-mode incremental} at a first start: every captured table must be one that
     * Debezium's incremental snapshot can read. Debezium 3.6 cannot read a table with a stored
     * generated column (it drops the column from its table model but reads chunks with
     * {@code SELECT *}: "Column … not found in result set", debezium/dbz#2020, and excluding the
     * column only moves the failure); it would skip such a table with a warning, leaving its topic
     * without the existing rows. So capture refuses before it starts.
     */
    private void requireIncrementallyReadable(List<String> captured) {
        List<String> generated = database.shapes(captured).values().stream()
                .filter(TableShape::hasGeneratedColumns).map(TableShape::table).toList();
        if (!generated.isEmpty()) {
            throw new CaptureException("--snapshot-mode incremental cannot read " + generated + ": they have stored"
                    + " generated columns, which Debezium 3.6's incremental snapshots fail on"
                    + " (debezium/dbz#2020). Use --snapshot-mode initial (the default; with --snapshot-threads to read"
                    + " tables side by side), or leave those tables out of --tables");
        }
    }

    /** The tables capture takes, and those it leaves to Debezium's exclude list. */
    private record Selection(List<String> captured, List<String> excluded) {
    }

    private Selection select(List<SourceTable> tables) {
        tableSelection = new TableSelection(config.schema());
        if (config.wholeSchema()) {
            TableSelection.Choice choice = tableSelection.choose(tables);
            tableSelection.leftOutOfEngine(choice.excluded());
            if (choice.captured().isEmpty()) {
                LOG.info("Schema '{}' has no table with a primary key yet: capture waits for tables to appear",
                        config.schema());
            }
            return new Selection(choice.captured(), choice.excluded());
        }
        Map<String, SourceTable> byName = new HashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        List<SourceTable> listed = new ArrayList<>();
        for (String name : config.tables()) {
            SourceTable t = byName.get(name);
            if (t == null) {
                throw new CaptureException("--tables: table " + config.schema() + "." + name
                        + " does not exist on PostgreSQL at " + database.where());
            }
            listed.add(t);
        }
        TableSelection.Choice choice = tableSelection.choose(listed);
        if (choice.captured().isEmpty()) {
            throw new CaptureException("--tables: none of " + config.tables() + " has a primary key and a replica"
                    + " identity; nothing to capture");
        }
        return new Selection(choice.captured(), List.of());
    }

    /**
     * Snapshots what was published late at this start, and, for a whole schema, keeps the
     * publication in line with the tables from now on (see {@link PublicationKeeper}).
     */
    private void startKeeper(int major, SignalTable signal, List<String> publishedLate) {
        keeper = new PublicationKeeper(() -> SourceDatabase.connect(config.postgres(), config.schema()),
                config.publication(), major, signal, tableSelection);
        if (!publishedLate.isEmpty()) {
            keeper.snapshot(publishedLate);
        }
        if (config.wholeSchema()) {
            keeper.start(config.publicationRefresh());
        }
    }

    /**
     * PostgreSQL 18 streams stored generated columns (the publication says so); before 18, capture
     * computes them and says at start-up which ones it cannot.
     */
    private GeneratedColumnFiller generatedColumns(int major, List<String> captured) {
        if (major >= 18) {
            LOG.info("PostgreSQL {} streams stored generated columns (publication {} has"
                    + " publish_generated_columns = stored)", major, config.publication());
            return null;
        }
        Map<String, TableShape> shapes = database.shapes(captured);
        GeneratedColumnReport report = GeneratedColumnReport.of(shapes.values(), major);
        if (!report.computed().isEmpty()) {
            LOG.info("PostgreSQL {} does not stream generated columns; capture computes {}", major, report.computed());
        }
        report.warnings().forEach(LOG::warn);
        return new GeneratedColumnFiller(database);
    }

    /**
     * The signal table, created when missing; null when signaling is off or capture's user may not
     * create or use it. Then capture runs as it did before signaling existed, and one warning says
     * that {@code capture resnapshot} cannot reach it and how to fix or silence that: an optional
     * feature must not keep changes from flowing, nor make capture touch the user's database further.
     */
    private SignalTable signalTable() {
        if (config.signalTable() == null) {
            return null;
        }
        try {
            database.ensureSignalTable(config.signalTable(), config.publication());
            return config.signalTable();
        } catch (CaptureException e) {
            LOG.warn("{}. Capture runs without it, so capture resnapshot cannot ask it for a snapshot", e.getMessage());
            return null;
        }
    }

    /**
     * Whether heartbeats can write a logical decoding message (see
     * {@link DebeziumProperties#HEARTBEAT_MESSAGE_QUERY}); without it, the slot stays at the last
     * captured change while only other tables are written.
     */
    private boolean heartbeatMessages() {
        if (config.heartbeatInterval().isZero() || config.heartbeatActionQuery() != null) {
            return false;
        }
        if (database.canEmitLogicalMessages()) {
            return true;
        }
        LOG.warn("User {} may not call pg_logical_emit_message: heartbeats cannot move the slot while only"
                + " uncaptured tables change, so PostgreSQL keeps that WAL. Grant EXECUTE on it, or give"
                + " --heartbeat-action-query (e.g. an UPDATE of a small captured table)", config.postgres().user());
        return false;
    }

    /** The producer's settings: ours, then --kafka-property, then what delivery depends on. */
    Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "cdc-marts-capture-" + config.kafka().topics().prefix());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A raw message repeats its table's JSON schema: lz4 shrinks the log ~25x for little CPU
        // (every consumer is a Kafka client and decompresses by itself), and 512 KB batches hold
        // ~130 events instead of 4 (CaptureBenchmark). --kafka-property overrides both.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.putAll(config.kafka().clientConfig());
        // The delivery guarantee depends on these two: no pass-through may weaken them.
        for (Map.Entry<String, Object> forced : Map.<String, Object>of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true).entrySet()) {
            Object given = p.put(forced.getKey(), forced.getValue());
            if (given != null && !String.valueOf(given).equals(String.valueOf(forced.getValue()))) {
                LOG.warn("Ignoring --kafka-property {}={}: capture's producer always uses {}", forced.getKey(), given,
                        forced.getValue());
            }
        }
        return p;
    }

    private void awaitTaskStarted() {
        CompletableFuture<Object> first = CompletableFuture.anyOf(taskStarted, engineDone);
        try {
            first.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CaptureException("capture did not start: " + Secrets.redact(rootMessage(e.getCause())), e.getCause());
        } catch (TimeoutException e) {
            throw new CaptureException("capture did not start within " + START_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while starting capture", e);
        }
        if (engineDone.isDone() && !taskStarted.isDone()) {
            throw new CaptureException("capture stopped while starting: " + progress.snapshot().lastError());
        }
    }

    private void engineCompleted(boolean success, String message, Throwable error) {
        if (success && error == null) {
            LOG.info("Debezium engine stopped: {}", message);
            engineDone.complete(null);
            if (!closing && progress.state() == State.RUNNING) {
                progress.state(State.STOPPED);
            }
            return;
        }
        String reason = Secrets.redact(error == null ? message : message + ": " + rootMessage(error));
        progress.error(reason);
        Throwable failure = new CaptureException("capture stopped: " + reason, error);
        engineDone.completeExceptionally(failure);
        if (closing) {
            LOG.warn("Debezium engine stopped with an error while closing: {}", reason);
            return;
        }
        boolean wasRunning = progress.state() == State.RUNNING;
        progress.state(State.FAILED);
        LOG.error("Capture stopped: {}", reason, error);
        if (wasRunning) {
            failureListeners.forEach(l -> l.accept(failure));
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(t.getMessage());
        return root == t || top.contains(String.valueOf(root.getMessage())) ? top : top + " (" + root.getMessage() + ")";
    }

    /** What capture has done so far. */
    public CaptureStatus status() {
        return progress.snapshot();
    }

    /** The configuration this service runs with. */
    public CaptureConfig config() {
        return config;
    }

    /**
     * Stops the engine (it commits the offsets of what Kafka acknowledged), flushes and closes the
     * producer, and releases the source connection. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        State state = progress.state();
        if (state == State.NEW || state == State.STOPPED || closing) {
            return;
        }
        closing = true;
        if (state != State.FAILED) {
            progress.state(State.STOPPING);
        }
        LOG.info("Stopping capture ...");
        stopEngine();
        closeClients();
        if (state != State.FAILED) {
            progress.state(State.STOPPED);
        }
        LOG.info("Capture stopped; last LSN sent {}", progress.snapshot().lastLsn());
    }

    private void stopEngine() {
        if (engine == null) {
            return;
        }
        if (!engineDone.isDone()) {
            try {
                engine.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Debezium engine did not close cleanly: {}", e.getMessage());
            }
        }
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Debezium engine still running after {} s; interrupting it", STOP_TIMEOUT.toSeconds());
                engineThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engineThread.shutdownNow();
        }
    }

    private void closeClients() {
        if (keeper != null) {
            keeper.close();
            keeper = null;
        }
        if (producer != null) {
            try {
                producer.flush();
            } catch (RuntimeException e) {
                LOG.warn("Producer flush failed: {}", e.getMessage());
            }
            producer.close(Duration.ofSeconds(30));
            producer = null;
        }
        if (topicAdmin != null) {
            topicAdmin.close();
            topicAdmin = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private void releaseAfterFailedStart() {
        closing = true;
        if (engine != null && taskStarted.isDone()) {
            stopEngine();
        } else if (engineThread != null) {
            // A task that never started has nothing to stop; the engine thread ends with it.
            try {
                engine.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the engine after a failed start", e);
            }
            engineThread.shutdownNow();
        }
        closeClients();
    }
}
