package io.cdcmarts.processor.reprocess;

import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.topology.ProcessorTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code cdc-marts reprocess}: recomputes staging, dead letters, open failures and marts from the
 * raw topics with the processor's current rules, while capture and sink keep running.
 * <ol>
 *   <li>refuses while the application's group has members (a processor is running);</li>
 *   <li>resets the application: deletes its internal topics and its group (committed offsets);
 *       the local state goes with {@code KafkaStreams.cleanUp()} at start;</li>
 *   <li>notes the end offset of every partition of the compacted outputs (stg, marts, open failures);</li>
 *   <li>runs the topology from offset 0 of the raw topics until it has caught up with the raw end
 *       offsets noted at its start and nothing is in flight ({@link CatchUp}), reporting progress;
 *       then stops it;</li>
 *   <li>tombstones every output key the run did not produce again ({@link StaleKeys} says why that
 *       is exact), so the sink deletes those rows.</li>
 * </ol>
 * Dead letters are history: the run appends a new dead letter for every row that fails now, old
 * ones stay. Changes arriving at the raw topics meanwhile are processed too (after the targets
 * they are left for the processor that runs next).
 */
public final class Reprocessor {

    private static final Logger LOG = LoggerFactory.getLogger(Reprocessor.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    private final ProcessorService service;
    private final ProcessorConfig config;
    private final Duration timeout;
    private final Consumer<String> progress;

    /**
     * @param service  the processor to run (built with the rules to reprocess with); not started
     * @param timeout  how long the whole reprocess may take
     * @param progress where progress lines go (the command prints them)
     */
    public Reprocessor(ProcessorService service, Duration timeout, Consumer<String> progress) {
        this.service = service;
        this.config = service.config();
        this.timeout = timeout;
        this.progress = line -> {
            LOG.info(line);
            progress.accept(line);
        };
    }

    /**
     * What a reprocess did.
     *
     * @param internalTopicsDeleted the application's internal topics it deleted
     * @param rawRecords            raw records (offsets) it read up to the targets
     * @param tombstones            tombstones written per output topic (stale keys)
     * @param took                  how long it took
     */
    public record Result(Set<String> internalTopicsDeleted, long rawRecords, Map<String, Integer> tombstones, Duration took) {
        public int totalTombstones() {
            return tombstones.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** The processor is running: reprocessing now would corrupt its state. */
    public static final class ProcessorStillRunningException extends IllegalStateException {
        ProcessorStillRunningException(String message) {
            super(message);
        }
    }

    /** Runs the reprocess; on return the processor is stopped (start it again to keep processing). */
    public Result run() {
        Instant started = Instant.now();
        Instant deadline = started.plus(timeout);
        ProcessorTopics topics = new ProcessorTopics(config.topics());
        Map<String, Object> clientConfig = config.kafka().clientConfig();
        Map<String, Object> adminConfig = new LinkedHashMap<>(clientConfig);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-reprocess");
        try (Admin admin = Admin.create(adminConfig)) {
            StreamsApplication app = new StreamsApplication(admin, config.applicationId(), InternalTopics.of(
                    service.topology(), config.applicationId(), t -> t.startsWith(config.topics().prefix() + ".")));
            int members = app.activeMembers();
            if (members > 0) {
                throw new ProcessorStillRunningException("the processor " + config.applicationId() + " is running (" + members
                        + " member(s) in its group): stop 'cdc-marts process' first. A processor that was killed rather than"
                        + " stopped stays a member until its session times out (session.timeout.ms, 45 s by default).");
            }
            progress.accept("reprocess " + config.applicationId() + " with rules " + config.rules().source());
            service.createTopics();
            Set<String> deleted = app.reset(Duration.ofMinutes(1));
            progress.accept("reset: deleted the group and " + deleted.size() + " internal topics; local state is deleted at start");
            Map<TopicPartition, Long> marks = EndOffsets.of(admin, topics.compactedOutputs());
            Map<TopicPartition, Long> targets = EndOffsets.of(admin, topics.rawTopics());
            long rawTotal = targets.values().stream().mapToLong(Long::longValue).sum();
            progress.accept("reading the raw topics from offset 0 up to " + rawTotal + " records");

            service.startWithEmptyState();
            long rawRecords;
            try (CatchUp catchUp = new CatchUp(admin, app, clientConfig)) {
                rawRecords = awaitCaughtUp(catchUp, targets, deadline);
            } finally {
                service.close();
            }

            Map<String, Integer> tombstones = new LinkedHashMap<>();
            try (StaleKeySweeper sweeper = new StaleKeySweeper(admin, clientConfig, config.applicationId() + "-reprocess")) {
                for (String topic : topics.compactedOutputs()) {
                    int n = sweeper.sweep(topic, marks, remaining(deadline));
                    tombstones.put(topic, n);
                    if (n > 0) {
                        progress.accept("deleted " + n + " stale key(s) of " + topic);
                    }
                }
            }
            Result result = new Result(deleted, rawRecords, tombstones, Duration.between(started, Instant.now()));
            progress.accept("reprocess done in " + result.took().toSeconds() + " s: " + rawRecords + " raw records, "
                    + result.totalTombstones() + " stale key(s) deleted; new dead letters were appended for the rows that fail now");
            return result;
        }
    }

    private long awaitCaughtUp(CatchUp catchUp, Map<TopicPartition, Long> targets, Instant deadline) {
        Instant nextReport = Instant.now();
        while (true) {
            ProcessorService.Status status = service.status();
            if (status.lastError() != null || status.state() == KafkaStreams.State.ERROR
                    || status.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the processor stopped during the reprocess (" + status.state() + "): "
                        + status.lastError());
            }
            CatchUp.Progress p = status.state() == KafkaStreams.State.RUNNING ? catchUp.check(targets) : null;
            if (p != null && p.caughtUp()) {
                progress.accept("caught up: " + p.rawDone() + " of " + p.rawTotal() + " raw records, nothing in flight");
                return p.rawDone();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the reprocess did not catch up within " + timeout
                        + (p == null ? "" : "; behind on " + List.copyOf(p.behind())));
            }
            if (p != null && !Instant.now().isBefore(nextReport)) {
                progress.accept(String.format("raw %d of %d records (%d %%), %d internal records in flight",
                        p.rawDone(), p.rawTotal(), p.rawTotal() == 0 ? 100 : 100 * p.rawDone() / p.rawTotal(), p.internalLag()));
                nextReport = Instant.now().plus(REPORT_EVERY);
            }
            pause();
        }
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static void pause() {
        try {
            Thread.sleep(CHECK_EVERY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reprocess to catch up", e);
        }
    }
}
