package io.cdcmarts.app;

import io.cdcmarts.app.PipelinePositions.Stage;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.generator.BulkGenerator;
import io.cdcmarts.generator.Schema;
import io.cdcmarts.generator.StreamingWorkload;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.testing.EmbeddedPostgresServer;
import io.cdcmarts.testing.LocalKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every fault of the issue in one run against real servers, under a steady outside workload (the
 * generator's continuous mode, ~30 changes a second, chaos rows included): capture, processor and
 * sink run as processes of their own from the shaded jar, on a broker and a PostgreSQL of the test's
 * own (so both can be bounced without touching the other tests' servers). In one run each service is
 * killed with SIGKILL once (when the processor and the sink have caught up) and started again, then
 * the broker is shut down for 12 s (beyond the transaction timeout) and started again on the same
 * port and log, then PostgreSQL is restarted on the same data directory and port. Afterwards raw
 * in DuckDB equals the source exactly, every mart equals its batch recomputation ({@code verify})
 * and the PostgreSQL oracle, and no service exited on the bounces. It prints, per fault, how long
 * until each affected service worked again (its position moved: raw topics written, processor or
 * sink offsets committed); nothing is timed.
 */
class FaultsUnderLoadIT {

    /** The shaded jar; CDC_TEST_SERVICE_JAR runs another (with the native libraries and class-data archive beside it that the build leaves). */
    private static final Path JAR = Path.of(System.getenv().getOrDefault("CDC_TEST_SERVICE_JAR", "target/cdc-marts.jar"));
    /** How long the broker stays away: the bounce of the issue, longer than the 10 s transaction timeout. */
    private static final Duration BOUNCE = Duration.ofSeconds(12);
    /** A generous bound for a service to work again on this busy machine; the figures printed are what counts. */
    private static final Duration BACK = Duration.ofMinutes(3);
    /** Messages a stage may have left to read and still count as caught up (a first start's backlog is thousands). */
    private static final long CAUGHT_UP = 200;
    private static final String PREFIX = "faults";
    private static final String SINK_GROUP = PREFIX + "-sink";

    /** Under target/, not the OS temp directory (Kafka Streams warns about state kept where the OS may clear it). */
    private Path dir;
    private LocalKafkaBroker broker;
    private EmbeddedPostgresServer postgres;
    private StreamingWorkload workload;
    private final Map<Stage, ServiceProcess> services = new EnumMap<>(Stage.class);
    private final List<String> figures = new ArrayList<>();

    @BeforeEach
    void dataDirectoryUnderTarget() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-data")), "faults-it");
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (workload != null) {
            workload.close();
        }
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void killEachServiceBounceTheBrokerRestartPostgresUnderLoad() throws Exception {
        assertThat(JAR).as("the shaded jar (built in the package phase, before integration tests)").exists();
        int kafkaPort = freePort();
        int pgPort = freePort();
        Path kafkaLog = dir.resolve("kafka");
        Path pgData = dir.resolve("pg");
        broker = LocalKafkaBroker.start(kafkaPort, kafkaLog);
        postgres = EmbeddedPostgresServer.start(null, pgData, pgPort);
        PgDsn dsn = postgres.dsn();
        Schema.create(dsn);
        new BulkGenerator(PipelineFixture.seed(dsn).build()).run();
        startServices(dsn);

        try (PipelinePositions positions = new PipelinePositions(broker.bootstrapServers(), new TopicNames(PREFIX),
                ProcessorConfig.defaultApplicationId(new TopicNames(PREFIX)), SINK_GROUP)) {
            // Given the pipeline working under a steady workload of every kind of change
            workload = new StreamingWorkload(PipelineFixture.seed(dsn).rate(30).chaosPercent(10)
                    .seed(Long.getLong("cdc.test.seed", 41)).build());
            workload.start();
            long firstStart = System.nanoTime();
            for (Stage stage : Stage.values()) {
                awaitWorking(positions, stage, 0, firstStart, "first start, from the workload's start (capture's snapshot included)");
            }

            // When each service is killed with SIGKILL once and started again with the same options
            // (each into a pipeline that has caught up with the workload: a restart measured while the
            // other services still work off their own first start says how busy they are, not how fast it is)
            for (Stage stage : Stage.values()) {
                awaitCaughtUp(positions);
                ServiceProcess service = services.get(stage);
                service.kill();
                long before = positions.position(stage).orElseThrow();
                long started = service.start();
                awaitWorking(positions, stage, before, started, "kill -9 of " + service.name() + ", from its restart");
            }

            // And the broker goes away for 12 s (and until the processor noticed), then comes back on the same port and log
            awaitCaughtUp(positions);
            Map<Stage, Long> beforeBounce = positionsNow(positions);
            broker.close();
            broker = null;
            long down = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).failFast("a service exited", this::assertAllAlive)
                    .until(() -> System.nanoTime() - down >= BOUNCE.toNanos()
                            && Files.readString(services.get(Stage.PROCESSOR).log()).contains("could not be established"));
            broker = LocalKafkaBroker.start(kafkaPort, kafkaLog);
            long back = System.nanoTime();
            for (Stage stage : Stage.values()) {
                awaitWorking(positions, stage, beforeBounce.get(stage), back, "broker bounce of 12 s, from its return");
            }

            // And PostgreSQL is restarted on the same data directory and port; what capture read before
            // the stop may still be on its way to Kafka, so its position counts from the server's return
            postgres.close();
            postgres = null;
            postgres = EmbeddedPostgresServer.start(null, pgData, pgPort);
            long pgBack = System.nanoTime();
            // (the processor and the sink do not use PostgreSQL: what they do meanwhile says nothing)
            awaitWorking(positions, Stage.CAPTURE, positions.position(Stage.CAPTURE).orElseThrow(), pgBack,
                    "PostgreSQL restart, from its return");
            workload.close();
            assertThat(workload.failure()).as("workload error").isNull();
            System.out.println("FaultsUnderLoadIT: workload " + workload.stats());
        }

        // Then no service exited on the way, and every layer is the source's truth
        for (ServiceProcess service : services.values()) {
            assertThat(service.isAlive()).as("%s still running; its log:\n%s", service.name(), service.tail()).isTrue();
        }
        Path replica = dir.resolve("replica.duckdb");
        awaitOnReplica(replica, duck -> PipelineChecks.rawEqualsSource(duck, dsn));
        awaitOnReplica(replica, PipelineChecks::martsVerify);
        awaitOnReplica(replica, duck -> PipelineChecks.martsEqualPostgresOracle(duck, dsn));
        figures.forEach(line -> System.out.println("FaultsUnderLoadIT: " + line));
    }

    private void startServices(PgDsn dsn) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "faults-logs"));
        List<String> kafka = List.of("--kafka-bootstrap", broker.bootstrapServers(), "--topic-prefix", PREFIX, "--http-port", "-1");
        services.put(Stage.CAPTURE, new ServiceProcess("capture", JAR, logs, concat(kafka,
                "--pg-url", dsn.toUrlWithPassword(), "--heartbeat-ms", "1000", "--offset-flush-ms", "1000")));
        services.put(Stage.PROCESSOR, new ServiceProcess("process", JAR, logs, concat(kafka,
                "--state-dir", dir.resolve("state").toString())));
        services.put(Stage.SINK, new ServiceProcess("sink", JAR, logs, concat(kafka,
                "--duckdb", dir.resolve("shop.duckdb").toString(), "--group-id", SINK_GROUP,
                "--replica", dir.resolve("replica.duckdb").toString(), "--replica-every", "1s")));
        for (ServiceProcess service : services.values()) {
            service.start();
        }
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private Map<Stage, Long> positionsNow(PipelinePositions positions) {
        Map<Stage, Long> now = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            now.put(stage, positions.position(stage).orElseThrow());
        }
        return now;
    }

    /**
     * Waits until the stage's position is past {@code before}, every service staying alive, and
     * records how long after {@code since} that was (within one 100 ms poll).
     */
    private void awaitWorking(PipelinePositions positions, Stage stage, long before, long since, String fault) {
        await().atMost(BACK).pollInterval(Duration.ofMillis(100)).failFast("a service exited", this::assertAllAlive)
                .until(() -> positions.movedPast(stage, before));
        figures.add(String.format("%s: %s working again after %.1f s", fault, services.get(stage).name(),
                (System.nanoTime() - since) / 1e9));
    }

    /**
     * Waits until the processor and the sink each have at most {@link #CAUGHT_UP} messages left to
     * read: the workload's last moments, not a backlog.
     */
    private void awaitCaughtUp(PipelinePositions positions) {
        await().atMost(BACK).pollInterval(Duration.ofMillis(200)).failFast("a service exited", this::assertAllAlive)
                .until(() -> Stream.of(Stage.PROCESSOR, Stage.SINK)
                        .allMatch(stage -> positions.lag(stage).orElse(Long.MAX_VALUE) <= CAUGHT_UP));
    }

    /** Fails naming the service that exited, with its exit code and the end of its log. */
    private void assertAllAlive() {
        for (ServiceProcess service : services.values()) {
            assertThat(service.isAlive()).as("%s exited (code %s); its log ends:%n%s", service.name(),
                    service.isAlive() ? "" : service.exitValue(), service.tail()).isTrue();
        }
    }

    /** A check on the sink's read-only replica (the sink holds its own file), reopened until it holds. */
    private void awaitOnReplica(Path replica, PipelineFixture.ReaderCheck check) {
        Properties readOnly = new Properties();
        readOnly.setProperty("access_mode", "READ_ONLY");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).failFast("a service exited", this::assertAllAlive)
                .ignoreExceptions().untilAsserted(() -> {
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + replica.toAbsolutePath(), readOnly)) {
                check.run(duck);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
