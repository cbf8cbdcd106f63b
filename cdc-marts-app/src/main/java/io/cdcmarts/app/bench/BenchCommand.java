package io.cdcmarts.app.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.app.status.SinkQuerySource;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.Secrets;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.Durations;
import io.cdcmarts.common.cli.KafkaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntToLongFunction;

/**
 * {@code cdc-marts bench}: freshness of a running pipeline, measured from outside it. It drives a
 * {@link Workload} at {@code --rate} against the source (the generator's, pgbench's or none),
 * writes marker rows beside it ({@link Markers}), polls the sink's query API for them
 * ({@link Sightings}) and reports commit→{@code raw} and commit→{@code mart} freshness, the rate
 * achieved, and whether the lag stayed bounded ({@link Freshness}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Freshness of a running pipeline from outside: a steady workload at --rate on the source, marker "
                + "rows beside it, and the time from each marker's commit until the sink shows it in raw and in the marts.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pg-url", paramLabel = "DSN", required = true, defaultValue = "${env:CDC_PG_URL}",
            description = "The source PostgreSQL with the shop's tables and rows (env CDC_PG_URL).")
    String pgUrl;

    @Option(names = {"--url", "--sink-url"}, paramLabel = "URL", defaultValue = "${env:CDC_SINK_URL:-http://localhost:8080}",
            description = "The running sink (or local), whose /api/query is polled (env CDC_SINK_URL; default ${DEFAULT-VALUE}).")
    String sinkUrl;

    /** What runs on the source beside the markers. */
    public enum WorkloadKind { generator, pgbench, none }

    @Option(names = "--workload", paramLabel = "generator|pgbench|none", defaultValue = "${env:CDC_BENCH_WORKLOAD:-generator}",
            description = "The load on the source: the generator's streaming workload, PostgreSQL's pgbench with the shop "
                    + "scripts shipped in cdc-marts, or none (only the markers; the load comes from elsewhere) "
                    + "(env CDC_BENCH_WORKLOAD; default ${DEFAULT-VALUE}).")
    WorkloadKind workloadKind;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "${env:CDC_BENCH_RATE:-1000}",
            description = "Generator events per second, or pgbench transactions per second (one transaction each; "
                    + "env CDC_BENCH_RATE; default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--pgbench", paramLabel = "PATH", defaultValue = "${env:CDC_BENCH_PGBENCH:-pgbench}",
            description = "The pgbench (15 or newer) that --workload pgbench runs (env CDC_BENCH_PGBENCH; default ${DEFAULT-VALUE}).")
    String pgbench;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "${env:CDC_BENCH_DURATION:-60s}",
            description = "How long the workload runs (env CDC_BENCH_DURATION; default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "${env:CDC_BENCH_CLIENTS:-4}",
            description = "Connections the workload runs on, together at --rate (the generator's each with a seed of its own): "
                    + "one connection commits one transaction at a time (env CDC_BENCH_CLIENTS; default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--markers-per-second", paramLabel = "N", defaultValue = "${env:CDC_BENCH_MARKERS_PER_SECOND:-2}",
            description = "Marker transactions per second (env CDC_BENCH_MARKERS_PER_SECOND; default ${DEFAULT-VALUE}).")
    double markersPerSecond;

    @Option(names = "--poll-every", paramLabel = "DURATION", defaultValue = "${env:CDC_BENCH_POLL_EVERY:-100ms}",
            description = "How often the sink is asked for the markers: a sighting is late by at most this "
                    + "(env CDC_BENCH_POLL_EVERY; default ${DEFAULT-VALUE}).")
    String pollEvery;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "${env:CDC_BENCH_SETTLE:-60s}",
            description = "After the workload, how long to wait for the last markers (env CDC_BENCH_SETTLE; default ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:CDC_BENCH_SEED:-7}",
            description = "Seed of the workload's choices (pgbench's --random-seed; env CDC_BENCH_SEED; default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--keep-markers", defaultValue = "${env:CDC_BENCH_KEEP_MARKERS:-false}",
            description = "Leave the marker orders in the source (by default they are deleted at the end; env CDC_BENCH_KEEP_MARKERS).")
    boolean keepMarkers;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:CDC_BENCH_KAFKA_BOOTSTRAP:-none}",
            description = "Also time each marker's arrival on the raw, stg and mart topics, read from this broker, to split "
                    + "commit→DuckDB into capture, processor and sink; none = off (env CDC_BENCH_KAFKA_BOOTSTRAP; default ${DEFAULT-VALUE}).")
    String kafkaBootstrap;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:CDC_TOPIC_PREFIX:-shop}",
            description = "The pipeline's topic prefix, for --kafka-bootstrap (env CDC_TOPIC_PREFIX; default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for --kafka-bootstrap's consumer (repeatable), e.g. security.protocol=SSL.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--json", defaultValue = "${env:CDC_BENCH_JSON:-false}",
            description = "Print the report as one JSON object (env CDC_BENCH_JSON).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PgDsn dsn = PgDsn.parse(pgUrl);
        Duration runFor = Durations.positive("--duration", duration);
        Duration pollInterval = Durations.positive("--poll-every", pollEvery);
        Duration settleFor = Durations.parse("--settle", settle);
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be 1 or more, got " + clients);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a positive number per second, got " + rate);
        }
        if (!(markersPerSecond > 0) || Double.isInfinite(markersPerSecond)) {
            throw new IllegalArgumentException("--markers-per-second must be a positive number per second, got " + markersPerSecond);
        }
        int capacity = (int) Math.min(Markers.END_DAY.toEpochDay() - Markers.FIRST_DAY.toEpochDay(),
                Math.ceil(runFor.toMillis() / 1000.0 * markersPerSecond) + 1);
        SinkQuerySource sink = new SinkQuerySource(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                sinkUrl, Duration.ofSeconds(10));
        Sightings sightings = new Sightings(sink, capacity);
        long[] committedAt = new long[capacity];
        PrintWriter err = spec.commandLine().getErr();

        try (Markers markers = Markers.open(dsn); TopicSightings topics = topicSightings(capacity)) {
            awaitNoLeftovers(sightings, settleFor);
            if (topics != null) {
                topics.start();
            }
            long changesBefore = markers.rowChanges();
            Poller poller = new Poller(sightings, pollInterval);
            int written = 0;
            long started = System.nanoTime();
            long events = 0;
            long failed = 0;
            try (Workload workload = workload(dsn, runFor)) {
                workload.start();
                poller.start();
                long every = (long) (1e9 / markersPerSecond);
                long end = started + runFor.toNanos();
                for (long next = started; next < end && written < capacity; next += every) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    workload.throwIfFailed();
                    markers.write(written);
                    committedAt[written] = System.nanoTime();
                    poller.written(++written);
                }
                // pgbench starts its clock once its connections are up: room for many or slow connections
                workload.awaitTermination(Duration.ofNanos(Math.max(0, end - System.nanoTime())).plusSeconds(30));
                events = workload.events();
                failed = workload.failures();
                workload.throwIfFailed();
            } catch (Exception e) {
                if (!keepMarkers) {
                    try {
                        markers.deleteAll(); // a failed run leaves no markers behind either
                    } catch (SQLException | RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
                throw e;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long changes = markers.rowChanges() - changesBefore;
            long settleEnd = System.nanoTime() + settleFor.toNanos();
            while (sightings.unseen(written) > 0 && System.nanoTime() < settleEnd) {
                LockSupport.parkNanos(pollInterval.toNanos());
            }
            poller.stop();
            Map<TopicSightings.Stage, Freshness> stages = new LinkedHashMap<>();
            if (topics != null) {
                for (TopicSightings.Stage stage : TopicSightings.Stage.values()) {
                    stages.put(stage, Freshness.of(Arrays.copyOf(committedAt, written), seen(k -> topics.seenAt(stage, k), written)));
                }
            }
            Report report = new Report(written, seconds, events / seconds, changes / seconds, failed,
                    freshness(Sightings.Layer.RAW, sightings, committedAt, written),
                    freshness(Sightings.Layer.MART, sightings, committedAt, written), stages);
            if (!keepMarkers) {
                markers.deleteAll();
            }
            print(report);
            int total = written;
            if (topics != null && topics.lastError() != null
                    && report.stages().values().stream().anyMatch(f -> f.seen() < total)) {
                err.println("cdc-marts bench: some markers were not seen on the topics (--kafka-bootstrap); the last failed read: "
                        + Secrets.redact(topics.lastError()));
            }
            if (report.raw().seen() < written || report.mart().seen() < written) {
                err.println("cdc-marts bench: " + (written - report.mart().seen()) + " of " + written
                        + " markers did not reach the marts within --settle " + settle + " after the workload stopped"
                        + (poller.lastError() == null ? "" : "; the last failed poll of the sink: " + Secrets.redact(poller.lastError())));
                return 1;
            }
            return 0;
        }
    }

    private Workload workload(PgDsn dsn, Duration runFor) {
        return switch (workloadKind) {
            case generator -> new GeneratorWorkload(dsn, rate, clients, seed, runFor);
            case pgbench -> new PgbenchWorkload(pgbench, dsn, rate, clients, runFor, seed);
            case none -> Workload.none();
        };
    }

    /**
     * Markers of an earlier run were deleted in the source; waits until the sink no longer shows them.
     * A sink that cannot answer yet (starting, its tables not created) is asked again until {@code settleFor}.
     */
    private void awaitNoLeftovers(Sightings sightings, Duration settleFor) {
        long end = System.nanoTime() + settleFor.toNanos();
        while (true) {
            String problem;
            try {
                int left = sightings.leftovers();
                if (left == 0) {
                    return;
                }
                problem = "it still shows " + left + " marker rows of an earlier bench run: is the pipeline capturing this database?";
            } catch (Exception e) {
                problem = "it does not answer queries (--url): "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : Secrets.redact(e.getMessage()));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the sink at " + Secrets.redact(sinkUrl) + " after " + settle + " (--settle): " + problem);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /** The topic watcher for {@code --kafka-bootstrap}, or null when it is {@code none}. */
    private TopicSightings topicSightings(int capacity) {
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank() || "none".equals(kafkaBootstrap)) {
            return null;
        }
        KafkaOptions.KafkaSettings kafka = new KafkaOptions.KafkaSettings(kafkaBootstrap.trim(), new TopicNames(topicPrefix),
                1, (short) 1, Map.copyOf(kafkaProperties));
        return new TopicSightings(kafka.clientConfig(), kafka.topics(), capacity);
    }

    private static Freshness freshness(Sightings.Layer layer, Sightings sightings, long[] committedAt, int written) {
        return Freshness.of(Arrays.copyOf(committedAt, written), seen(k -> sightings.seenAt(layer, k), written));
    }

    private static long[] seen(IntToLongFunction seenAt, int written) {
        long[] seen = new long[written];
        for (int k = 0; k < written; k++) {
            seen[k] = seenAt.applyAsLong(k);
        }
        return seen;
    }

    private void print(Report r) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("workload", workloadKind.name()).put("seconds", r.seconds());
            if (workloadKind != WorkloadKind.none) {
                o.put("requestedEventsPerSecond", rate);
            }
            o.put("eventsPerSecond", r.eventsPerSecond())
                    .put("rowChangesPerSecond", r.rowChangesPerSecond()).put("failedEvents", r.failedEvents())
                    .put("markers", r.markers());
            layer(o.putObject("commitToRaw"), r.raw());
            layer(o.putObject("commitToMart"), r.mart());
            if (!r.stages().isEmpty()) {
                ObjectNode stages = o.putObject("stages");
                r.stages().forEach((stage, f) -> layer(stages.putObject(stage.name().toLowerCase(Locale.ROOT)), f));
            }
            o.put("lagBounded", r.raw().bounded() && r.mart().bounded() && r.mart().seen() == r.markers());
            out.println(o);
        } else {
            if (workloadKind == WorkloadKind.none) {
                out.printf(Locale.ROOT, "workload:     none (markers only), %.0f s; %.0f row changes/s in the source%n",
                        r.seconds(), r.rowChangesPerSecond());
            } else {
                String unit = workloadKind == WorkloadKind.pgbench ? "transactions" : "events";
                out.printf(Locale.ROOT, "workload:     %s, %.0f s, %.0f %s/s asked, %.0f achieved (%d failed); %.0f row changes/s in the source%n",
                        workloadKind, r.seconds(), rate, unit, r.eventsPerSecond(), r.failedEvents(), r.rowChangesPerSecond());
            }
            out.printf(Locale.ROOT, "markers:      %d written, %d seen in raw, %d in the marts%n", r.markers(), r.raw().seen(), r.mart().seen());
            line(out, "commit→raw:  ", r.raw());
            line(out, "commit→mart: ", r.mart());
            r.stages().forEach((stage, f) -> out.printf(Locale.ROOT, "  %-17s %d seen, p50 %.3f s, p99 %.3f s, max %.3f s%n",
                    "→" + stage.label + ":", f.seen(), f.p50(), f.p99(), f.max()));
            out.println("lag:          " + (r.raw().bounded() && r.mart().bounded() && r.mart().seen() == r.markers()
                    ? "bounded" : "NOT bounded (freshness grew during the run, or markers are missing)"));
        }
        out.flush();
    }

    private static void layer(ObjectNode o, Freshness f) {
        o.put("seen", f.seen()).put("p50", f.p50()).put("p99", f.p99()).put("max", f.max()).put("slope", f.slope());
    }

    private static void line(PrintWriter out, String label, Freshness f) {
        out.printf(Locale.ROOT, "%s p50 %.2f s, p99 %.2f s, max %.2f s (grew %.1f ms per second of run)%n",
                label, f.p50(), f.p99(), f.max(), f.slope() * 1000);
    }

    /** What one run measured. */
    private record Report(int markers, double seconds, double eventsPerSecond, double rowChangesPerSecond, long failedEvents,
                          Freshness raw, Freshness mart, Map<TopicSightings.Stage, Freshness> stages) {
    }

    /** Polls the sink on a thread of its own until stopped; a failed poll is retried at the next tick. */
    private static final class Poller {
        private final Sightings sightings;
        private final Duration every;
        private final Thread thread;
        private volatile int written;
        private volatile boolean stopping;
        private volatile String lastError;

        Poller(Sightings sightings, Duration every) {
            this.sightings = sightings;
            this.every = every;
            this.thread = new Thread(this::run, "bench-poller");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void written(int n) {
            written = n;
        }

        private void run() {
            while (!stopping) {
                long next = System.nanoTime() + every.toNanos();
                try {
                    sightings.poll(written);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the sink busy or restarting: the sighting comes at a later poll, and late is what is measured
                    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }

        String lastError() {
            return lastError;
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
