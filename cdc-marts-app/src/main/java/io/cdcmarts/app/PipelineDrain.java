package io.cdcmarts.app;

import io.cdcmarts.capture.engine.DebeziumProperties;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.kafka.GroupOffsets;
import io.cdcmarts.common.kafka.PartitionOffsets;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
 *   <li>sink: its consumer group committed the end of every topic it reads, or only transaction
 *       markers and aborted records lie between (see {@link #sinkCaughtUp}).</li>
 * </ol>
 * A quiet period alone (no batch for a few seconds) is not proof: any stage may pause longer than
 * that on a busy machine (a GC, a Streams commit, capture's poll), and the file then misses what
 * was in flight. Gives up after {@code timeout} with a warning naming the stage that lagged.
 */
final class PipelineDrain {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineDrain.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Ten of the processor's default 100 ms commit intervals, in which every delta buffer forwards. */
    private static final Duration PROCESSOR_QUIET = Duration.ofSeconds(1);

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
            // Last stable offsets: what the processor's and the sink's read_committed consumers can reach.
            PartitionOffsets offsets = new PartitionOffsets(admin, IsolationLevel.READ_COMMITTED, CALL_TIMEOUT);
            if (!captureDrained(deadline, timeout)) {
                return false;
            }
            stage = "processor";
            while (!processorCaughtUp(offsets)) {
                if (!pause(deadline)) {
                    return gaveUp(stage, timeout);
                }
            }
            stage = "sink";
            while (!sinkCaughtUp(offsets)) {
                if (!pause(deadline)) {
                    return gaveUp(stage, timeout);
                }
            }
            LOG.info("Drained: capture, processor and sink have caught up with the source");
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not drain the pipeline before stopping ({} stage): {}", stage, e.toString());
            return false;
        } catch (ExecutionException e) {
            LOG.warn("Could not drain the pipeline before stopping ({} stage): Kafka admin call failed: {}",
                    stage, e.getCause().getMessage());
            return false;
        } catch (TimeoutException e) {
            LOG.warn("Could not drain the pipeline before stopping ({} stage): Kafka admin call timed out after {}",
                    stage, CALL_TIMEOUT);
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
     * committed on and of every source topic. Read twice, {@link #PROCESSOR_QUIET} apart: when the
     * end offsets moved in between, the processor is still writing into its own repartition topics.
     * The pause matters: the marts' delta buffers hold sums that no lag shows and forward them once
     * per commit interval, so only offsets that stay still for several intervals mean drained.
     */
    private boolean processorCaughtUp(PartitionOffsets offsets) throws ExecutionException, TimeoutException, InterruptedException {
        GroupOffsets before = offsets.read(processorGroup, processorInputs);
        if (!before.behind().isEmpty()) {
            return false;
        }
        LockSupport.parkNanos(PROCESSOR_QUIET.toNanos());
        GroupOffsets after = offsets.read(processorGroup, processorInputs);
        if (!before.end().equals(after.end())) {
            return false;
        }
        Map<TopicPartition, Long> behind = after.behind();
        behind.forEach((tp, at) -> LOG.debug("Processor lag on {}: at {}, end {}", tp, at, after.end().get(tp)));
        return behind.isEmpty();
    }

    // ---- sink ------------------------------------------------------------------------------------

    /**
     * Lag zero in the sink's group. The sink commits its consumer position, which a read_committed
     * consumer moves past transaction markers and aborted records even when a poll returns nothing,
     * and it commits every assigned partition after an empty poll, also one it has applied nothing
     * from since it started: markers alone never leave a lag behind.
     */
    private boolean sinkCaughtUp(PartitionOffsets offsets) throws ExecutionException, TimeoutException, InterruptedException {
        GroupOffsets sink = offsets.read(sinkGroup, sinkInputs);
        sink.behind().forEach((tp, at) -> LOG.debug("Sink lag on {}: at {}, end {}", tp, at, sink.end().get(tp)));
        return sink.behind().isEmpty();
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
