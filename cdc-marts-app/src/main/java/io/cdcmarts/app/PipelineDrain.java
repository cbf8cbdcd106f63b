package io.cdcmarts.app;

import io.cdcmarts.capture.engine.DebeziumProperties;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Lets the changes in flight reach DuckDB before {@code local} stops the services, so the file
 * it leaves is consistent across layers. Called after the generator stopped; waits, stage by
 * stage, until nothing is left between the source and DuckDB:
 * <ol>
 *   <li>capture: the replication slot confirmed every WAL position up to the source's current
 *       one (capture confirms a position only after Kafka acknowledged its events);</li>
 *   <li>processor: its consumer group committed the end of every topic it reads, raw topics and
 *       its own repartition topics (exactly-once commits inputs with the outputs they made);</li>
 *   <li>sink: every partition it reads has no committed record past the offset it committed.</li>
 * </ol>
 * A quiet period alone (no batch for a few seconds) is not proof: any stage may pause longer than
 * that on a busy machine (a GC, a Streams commit, capture's poll), and the file then misses what
 * was in flight. Gives up after {@code timeout} with a warning naming the stage that lagged.
 */
final class PipelineDrain {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineDrain.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final PgDsn source;
    private final String slot;
    private final KafkaSettings kafka;
    private final String processorGroup;
    private final Pattern processorInputs;
    private final String sinkGroup;
    private final Pattern sinkInputs;

    /**
     * @param source          the captured database
     * @param slot            capture's replication slot
     * @param kafka           the brokers
     * @param processorGroup  the processor's application id (its consumer group)
     * @param processorInputs the processor's source topics (raw); its internal topics are found in its group
     * @param sinkGroup       the sink's consumer group
     * @param sinkInputs      every topic the sink reads
     */
    PipelineDrain(PgDsn source, String slot, KafkaSettings kafka, String processorGroup, Pattern processorInputs,
                  String sinkGroup, Pattern sinkInputs) {
        this.source = source;
        this.slot = slot;
        this.kafka = kafka;
        this.processorGroup = processorGroup;
        this.processorInputs = processorInputs;
        this.sinkGroup = sinkGroup;
        this.sinkInputs = sinkInputs;
    }

    /** Waits until every stage has caught up, at most {@code timeout}; true when it has. */
    boolean await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LOG.info("Draining: waiting up to {} s for capture, processor and sink to apply the changes in flight",
                timeout.toSeconds());
        String stage = "capture";
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            if (!captureDrained(deadline, timeout)) {
                return false;
            }
            stage = "processor";
            while (!processorCaughtUp(admin)) {
                if (!pause(deadline)) {
                    return gaveUp(stage, timeout);
                }
            }
            stage = "sink";
            while (!sinkCaughtUp(admin)) {
                if (!pause(deadline)) {
                    return gaveUp(stage, timeout);
                }
            }
            LOG.info("Drained: capture, processor and sink have caught up with the source");
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not drain the pipeline before stopping ({} stage): {}", stage, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- capture ---------------------------------------------------------------------------------

    /**
     * Waits until capture confirmed the source's current WAL position. When the source is gone
     * already (Ctrl-C in a terminal reaches the embedded PostgreSQL too, as a child in the same
     * process group), what capture has sent is all there is to drain: the later stages still run,
     * so the file is consistent with the raw topics; the rest comes with the next start.
     */
    private boolean captureDrained(long deadline, Duration timeout) throws InterruptedException {
        try {
            long target = currentWalLsn();
            while (!captureConfirmed(target)) {
                if (!pause(deadline)) {
                    return gaveUp("capture", timeout);
                }
            }
        } catch (SQLException e) {
            LOG.warn("The source is not reachable any more ({}); draining what capture has sent", e.getMessage());
        }
        return true;
    }

    /**
     * The source's current WAL position, past every committed change. A logical decoding message
     * (capture's heartbeat prefix, never sent to Kafka) follows it, so capture has a position to
     * confirm beyond it now instead of at its next heartbeat.
     */
    private long currentWalLsn() throws SQLException {
        try (Connection c = DriverManager.getConnection(source.jdbcUrl(), source.jdbcProperties());
             Statement st = c.createStatement()) {
            long lsn;
            try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                lsn = rs.getLong(1);
            }
            try {
                st.execute("SELECT pg_logical_emit_message(false, '"
                        + DebeziumProperties.HEARTBEAT_MESSAGE_PREFIX + "', 'drain')");
            } catch (SQLException e) {
                LOG.debug("No logical message for the drain ({}); capture's next heartbeat will do", e.getMessage());
            }
            return lsn;
        }
    }

    private boolean captureConfirmed(long target) throws SQLException {
        try (Connection c = DriverManager.getConnection(source.jdbcUrl(), source.jdbcProperties());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("replication slot " + slot + " does not exist");
                }
                long confirmed = rs.getLong(1);
                return !rs.wasNull() && confirmed >= target;
            }
        }
    }

    // ---- processor -------------------------------------------------------------------------------

    /**
     * Lag zero in the processor's group: committed offsets at the end of every partition it has
     * committed on and of every source topic. The end offsets are read twice, around the committed
     * ones; when they moved, the processor is still writing into its own repartition topics.
     */
    private boolean processorCaughtUp(Admin admin) throws InterruptedException {
        Map<TopicPartition, Long> committed = committed(admin, processorGroup);
        Collection<TopicPartition> partitions = new HashSet<>(committed.keySet());
        partitions.addAll(partitionsOf(admin, processorInputs));
        Map<TopicPartition, Long> before = endOffsets(admin, partitions);
        committed = committed(admin, processorGroup);
        Map<TopicPartition, Long> after = endOffsets(admin, partitions);
        if (!before.equals(after)) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> end : after.entrySet()) {
            if (committed.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                LOG.debug("Processor lag on {}: committed {}, end {}", end.getKey(), committed.get(end.getKey()), end.getValue());
                return false;
            }
        }
        return true;
    }

    // ---- sink ------------------------------------------------------------------------------------

    /**
     * No record the sink has not committed. The sink commits "last record + 1"; on topics the
     * processor writes in transactions the end offset lies past the trailing commit marker (and
     * past aborted records), so a partition short of its end is read from the committed offset
     * with read_committed: caught up when the position reaches the end without a record.
     */
    private boolean sinkCaughtUp(Admin admin) throws InterruptedException {
        Collection<TopicPartition> partitions = partitionsOf(admin, sinkInputs);
        Map<TopicPartition, Long> ends = endOffsets(admin, partitions);
        Map<TopicPartition, Long> committed = committed(admin, sinkGroup);
        Map<TopicPartition, Long> behind = new HashMap<>();
        ends.forEach((tp, end) -> {
            long at = committed.getOrDefault(tp, 0L);
            if (at < end) {
                behind.put(tp, at);
            }
        });
        return behind.isEmpty() || onlyMarkersBetween(behind, ends);
    }

    private boolean onlyMarkersBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-marts-local-drain");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(config)) {
            probe.assign(from.keySet());
            from.forEach(probe::seek);
            long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!probe.poll(POLL).isEmpty()) {
                    return false;
                }
                boolean atEnd = from.keySet().stream().allMatch(tp -> probe.position(tp) >= ends.get(tp));
                if (atEnd) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- Kafka admin -----------------------------------------------------------------------------

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    private static Collection<TopicPartition> partitionsOf(Admin admin, Pattern topics) throws InterruptedException {
        Collection<String> names = get(admin.listTopics().names()).stream().filter(t -> topics.matcher(t).matches()).toList();
        Collection<TopicPartition> out = new ArrayList<>();
        if (names.isEmpty()) {
            return out;
        }
        for (TopicDescription d : get(admin.describeTopics(names).allTopicNames()).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                out.add(new TopicPartition(d.name(), p.partition()));
            }
        }
        return out;
    }

    /** Last stable offsets: what a read_committed consumer can reach. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> partitions)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (latest.isEmpty()) {
            return out;
        }
        get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka admin call timed out after " + CALL_TIMEOUT, e);
        }
    }

    private static boolean pause(long deadline) {
        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
            return false;
        }
        LockSupport.parkNanos(POLL.toNanos());
        return true;
    }

    private static boolean gaveUp(String stage, Duration timeout) {
        LOG.warn("The {} did not catch up within {}: the DuckDB file may miss the changes still in flight"
                + " (they are applied at the next start)", stage, timeout);
        return false;
    }
}
