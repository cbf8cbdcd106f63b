package io.cdcmarts.sink.rebuild;

import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.kafka.KafkaSchemaLog;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.batch.Batch;
import io.cdcmarts.sink.batch.BatchBuilder;
import io.cdcmarts.sink.batch.BatchInHand;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.duckdb.DuckDbTables;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code cdc-marts rebuild}: builds a new DuckDB file from every topic the sink reads, from offset 0,
 * through the sink's own batch path ({@link BatchBuilder} → {@link BatchApplier}, rows and offsets in
 * one transaction per batch). It notes every partition's end offset when it starts, reports progress,
 * and stops once every partition reached that offset.
 *
 * <p>The consumer is assigned its partitions and belongs to no group: it never disturbs the live
 * sink's group and commits nothing to Kafka. The file it leaves stores its offsets in
 * {@code _cdc.offsets} like any sink file, so a sink started on it continues where the rebuild ended.
 * It refuses a path that exists: the live file is never touched.
 */
public final class Rebuild {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuild.class);

    /** How the rebuild ended. */
    public record Result(boolean caughtUp, long offsetsConsumed, long messages, int partitions, Duration took) {
    }

    private final SinkConfig config;
    private final Duration progressEvery;
    private final Duration metadataTimeout;
    private final PrintWriter out;
    private final Clock clock;
    private volatile boolean stopRequested;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param config          the sink settings to rebuild with ({@link SinkConfig#duckdbPath()} is the new file)
     * @param progressEvery   how often to print a progress line
     * @param metadataTimeout how long to wait for the broker to list topics and offsets
     * @param out             where progress and the summary go
     */
    public Rebuild(SinkConfig config, Duration progressEvery, Duration metadataTimeout, PrintWriter out, Clock clock) {
        this.config = config;
        this.progressEvery = progressEvery;
        this.metadataTimeout = metadataTimeout;
        this.out = out;
        this.clock = clock;
    }

    /** Refuses a path that exists (or has a DuckDB write-ahead log beside it), naming the option. */
    public static void requireNewFile(Path file) {
        Path wal = file.resolveSibling(file.getFileName() + ".wal");
        if (Files.exists(file) || Files.exists(wal)) {
            throw new IllegalArgumentException("--duckdb " + file + " already exists: rebuild writes a new file and never "
                    + "overwrites one (the live file is locked by its running sink anyway); choose a new path");
        }
    }

    /** Asks a running {@link #run()} to stop after the batch in hand; the file stays consistent. */
    public void stop() {
        stopRequested = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /**
     * Builds the file; returns when every partition reached its end offset of the start, or after
     * {@link #stop()}.
     *
     * @throws IllegalArgumentException when the path exists
     * @throws IllegalStateException    when Kafka cannot be reached, no topic matches, or a batch fails
     */
    public Result run() throws SQLException {
        Path file = config.duckdbPath();
        requireNewFile(file);
        Instant startedAt = clock.instant();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig())) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            c.assign(partitions); // before asking for offsets: the consumer tracks the stable offset of assigned partitions only
            Map<TopicPartition, Long> beginning;
            Map<TopicPartition, Long> end;
            try {
                beginning = c.beginningOffsets(partitions, metadataTimeout);
                end = c.endOffsets(partitions, metadataTimeout); // read_committed: the last stable offset
            } catch (TimeoutException e) {
                throw unreachable(e);
            }
            RebuildProgress progress = new RebuildProgress(beginning, end, this::layerOf, startedAt);
            out.printf("Rebuilding %s from %d partitions of %d topics (%d offsets), from offset 0 to their end offsets at start%n",
                    file, partitions.size(), partitions.stream().map(TopicPartition::topic).distinct().count(), progress.total());
            c.seekToBeginning(partitions);
            c.pause(progress.finished()); // empty partitions are done already
            out.flush();
            DuckDBConnection duckdb = SinkService.open(file);
            try {
                long messages = consume(c, duckdb, progress);
                Duration took = progress.elapsed(clock.instant());
                out.println(progress.report(clock.instant()));
                Result result = new Result(progress.done(), progress.consumed(), messages, partitions.size(), took);
                report(result);
                out.flush();
                return result;
            } finally {
                duckdb.rollback(); // nothing is open between batches
                duckdb.close();
            }
        } finally {
            consumer = null;
        }
    }

    private long consume(KafkaConsumer<byte[], byte[]> c, DuckDBConnection duckdb, RebuildProgress progress) throws SQLException {
        DuckDbTables tables = new DuckDbTables(duckdb);
        tables.createLayout();
        duckdb.commit();
        try (SchemaDirectory schemas = new SchemaDirectory(new KafkaSchemaLog(config.kafka()))) {
            return consume(c, new BatchBuilder(config.topics(), tables, clock, schemas), new BatchApplier(duckdb, tables), progress);
        }
    }

    private long consume(KafkaConsumer<byte[], byte[]> c, BatchBuilder builder, BatchApplier applier, RebuildProgress progress) {
        Instant nextReport = clock.instant().plus(progressEvery);
        long messages = 0;
        // Polls are folded into one batch up to the sink's limits, as the live sink does while behind.
        BatchInHand inHand = new BatchInHand(builder, config.batchLimits());
        try {
            while (!stopRequested && !progress.done()) {
                ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
                if (!records.isEmpty()) {
                    inHand.read(records);
                    messages += records.count();
                }
                for (TopicPartition tp : progress.unfinished()) {
                    progress.position(tp, c.position(tp));
                }
                // A partition at its target reads no further: the file ends where the start said it would.
                c.pause(progress.finished());
                if (!inHand.isEmpty() && (records.isEmpty() || inHand.due(progress.done()))) {
                    write(applier, inHand);
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextReport) && !progress.done()) { // the last line follows the loop
                    out.println(progress.report(now));
                    out.flush();
                    nextReport = now.plus(progressEvery);
                }
            }
        } catch (WakeupException e) {
            // stop() while waiting on Kafka: what was read is written below
        }
        if (!inHand.isEmpty()) {
            write(applier, inHand);
        }
        return messages;
    }

    private static void write(BatchApplier applier, BatchInHand inHand) {
        Batch batch = inHand.batch();
        inHand.clear();
        try {
            applier.apply(batch, BatchApplier.BeforeCommit.NONE);
        } catch (Exception e) {
            // Unlike the live sink, nobody else holds this file: a refused batch will be refused again.
            throw new IllegalStateException("a batch of " + batch.records() + " messages could not be written (rolled back; "
                    + "the file holds every batch before it): " + e.getMessage(), e);
        }
        LOG.debug("Rebuild batch: {} messages, {} unknown-table tombstones", batch.records(), batch.unknownTombstonesByLayer());
    }

    private void report(Result r) {
        Path file = config.duckdbPath();
        if (r.caughtUp()) {
            out.printf("Caught up: every partition reached its end offset of the start; %d messages in %s. %s is closed and "
                            + "complete.%nTo swap it in: stop the sink, move %s over the live file, start the sink (it continues "
                            + "from the offsets stored in the file).%n",
                    r.messages(), RebuildProgress.format(r.took()), file, file);
        } else {
            out.printf("Stopped before catching up (%d of the offsets read). %s is closed and consistent up to its stored "
                    + "offsets: a sink started on it would continue from there.%n", r.offsetsConsumed(), file);
        }
    }

    /** Every partition of every topic the sink's layers read, as the broker lists them now. */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = c.listTopics(metadataTimeout);
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
        Pattern subscription = config.subscription();
        List<TopicPartition> out = new ArrayList<>();
        new TreeMap<>(topics).forEach((topic, infos) -> {
            if (subscription.matcher(topic).matches()) {
                infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
            }
        });
        if (out.isEmpty()) {
            throw new IllegalStateException("no topic on " + config.kafka().bootstrap() + " matches " + subscription.pattern()
                    + ": is --topic-prefix (" + config.topics().prefix() + ") right, and has the pipeline run?");
        }
        return out;
    }

    private IllegalStateException unreachable(TimeoutException e) {
        return new IllegalStateException("cannot reach Kafka at " + config.kafka().bootstrap() + " within "
                + RebuildProgress.format(metadataTimeout) + " (--kafka-bootstrap, CDC_KAFKA_BOOTSTRAP)", e);
    }

    private String layerOf(String topic) {
        if (topic.equals(config.topics().openFailures())) {
            return BatchBuilder.QUALITY_LAYER;
        }
        return config.topics().parse(topic).map(p -> p.layer().segment()).orElse("other");
    }

    /** The sink's consumer settings without a group: partitions are assigned, nothing is committed. */
    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>(config.consumerConfig());
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-marts-rebuild-" + config.topics().prefix());
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, metadataTimeout.toMillis()));
        return c;
    }
}
