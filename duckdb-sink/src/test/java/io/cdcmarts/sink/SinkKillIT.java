package io.cdcmarts.sink;

import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.testing.OrderItems;
import io.cdcmarts.sink.testing.Rows;
import io.cdcmarts.sink.testing.SinkMain;
import io.cdcmarts.sink.testing.TestKafka;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code kill -9} of a sink process in the middle of a stream: nothing lost, nothing applied twice. */
class SinkKillIT {

    @TempDir
    Path dir;

    private final String prefix = "kill" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();
    private SinkService restarted;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (restarted != null) {
            restarted.close();
        }
    }

    private Process startSinkProcess(Path file, String group, String... extra) throws Exception {
        return startSinkProcess(file, group, group, extra);
    }

    private Process startSinkProcess(Path file, String group, String logName, String... extra) throws Exception {
        return startSinkProcess(file, group, dir.resolve(logName + ".log"), extra);
    }

    private Process startSinkProcess(Path file, String group, Path log, String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), SinkMain.class.getName(),
                "--duckdb", file.toString(), "--kafka-bootstrap", TestKafka.bootstrap(), "--topic-prefix", prefix,
                "--group-id", group, "--max-poll-records", "50", "--max-batch-records", "200", "--poll-timeout", "100ms"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** What the sink has committed to Kafka (after each DuckDB commit): how far it got. */
    private static long committedToKafka(Admin admin, String group) throws Exception {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    @Test
    void killMinusNineMidStreamThenRestartGivesTheSourcesStateExactly() throws Exception {
        // Given a long stream of changes and a sink process working through it in small batches
        // (polls of 50 folded into batches of 200: the kill can land between polls of one batch)
        String topic = prefix + ".raw.order_items";
        TestKafka.createTopics(2, topic);
        int ids = 2_000;
        List<TestKafka.Message> messages = new OrderItems(topic).changes(0, ids);
        TestKafka.send(messages);
        Path file = dir.resolve("sink.duckdb");
        String group = prefix + "-killed";
        Process sink = startSinkProcess(file, group);

        // When it is killed with SIGKILL part of the way through
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> committedToKafka(admin, group) >= messages.size() / 4);
        }
        sink.destroyForcibly();
        assertThat(sink.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Then the file opens, and holds whole batches only
        long stored;
        Properties readOnly = new Properties();
        readOnly.setProperty("access_mode", "READ_ONLY");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), readOnly)) {
            stored = ((Number) Rows.scalar(c, "SELECT sum(next_offset) FROM _cdc.offsets")).longValue();
        }
        assertThat(stored).isGreaterThan(0).isLessThan(messages.size());

        // When a sink starts again on the file
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        restarted = new SinkService(SinkConfig.builder(KafkaSettings.of(TestKafka.bootstrap(), prefix))
                .duckdbPath(file).groupId(prefix + "-restarted").pollTimeout(Duration.ofMillis(200)).build(),
                registry, Clock.systemUTC(), BatchApplier.BeforeCommit.NONE);
        restarted.start();
        SinkServiceIT.awaitCaughtUp(restarted, prefix, messages.size());

        // Then it read exactly what was not committed, and the table is the source's state
        double consumed = Search.in(registry).name("cdc.sink.records.consumed").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat((long) consumed).isEqualTo(messages.size() - stored);
        try (Connection c = restarted.openReader()) {
            assertThat(OrderItems.in(c)).isEqualTo(OrderItems.expected(ids));
        }
    }

    @Test
    void restartedAfterKillMinusNineWorksWithoutWaitingForTheDeadSession() throws Exception {
        // Given a sink process, with a consumer session of 5 min (far above the awaits below), that
        // applied a stream of changes and was then killed with SIGKILL
        String topic = prefix + ".raw.order_items";
        TestKafka.createTopics(2, topic);
        List<TestKafka.Message> first = new OrderItems(topic).changes(0, 200);
        TestKafka.send(first);
        Path file = dir.resolve("sink.duckdb");
        String group = prefix + "-restart";
        String[] longSession = {"--kafka-property", "session.timeout.ms=300000", "--kafka-property", "max.poll.interval.ms=300000"};
        Process killed = startSinkProcess(file, group, "killed", longSession);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> committedToKafka(admin, group) == first.size() || !killed.isAlive());
            assertThat(killed.isAlive()).as("first sink running").isTrue();
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // When more changes arrive and a sink starts again on the file, in the same group
            List<TestKafka.Message> more = new OrderItems(topic).changes(200, 300);
            TestKafka.send(more);
            // Its log stays in target/ for the README's restart figure (first line to "Resuming")
            Path log = Files.createDirectories(Path.of("target", "restart-logs")).resolve("sink-restarted.log");
            Process restarted = startSinkProcess(file, group, log, longSession);

            // Then it applies them while the dead process's session would still be open: it needs no group
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> committedToKafka(admin, group) == first.size() + more.size() || !restarted.isAlive());
            assertThat(restarted.isAlive()).as("restarted sink running").isTrue();
            restarted.destroy();
            assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("access_mode", "READ_ONLY");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), readOnly)) {
            assertThat(OrderItems.in(c)).isEqualTo(OrderItems.expected(300));
        }
    }

    @Test
    void sigtermStopsTheProcessAndClosesTheFileCleanly() throws Exception {
        // Given a sink process that applied some changes
        String topic = prefix + ".raw.order_items";
        TestKafka.createTopics(1, topic);
        List<TestKafka.Message> messages = new OrderItems(topic).changes(0, 50);
        TestKafka.send(messages);
        Path file = dir.resolve("sink.duckdb");
        String group = prefix + "-term";
        Process sink = startSinkProcess(file, group);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> committedToKafka(admin, group) == messages.size());
        }

        // When it gets SIGTERM
        sink.destroy();

        // Then it exits as a JVM does on SIGTERM (143 = 128 + 15) after closing DuckDB: checkpointed,
        // no write-ahead log left to replay
        assertThat(sink.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.exitValue()).isEqualTo(143);
        assertThat(file.resolveSibling("sink.duckdb.wal")).doesNotExist();
        assertThat(java.nio.file.Files.readString(dir.resolve(group + ".log"))).contains("Sink stopped");
        Properties readOnly = new Properties();
        readOnly.setProperty("access_mode", "READ_ONLY");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), readOnly)) {
            assertThat(OrderItems.in(c)).isEqualTo(OrderItems.expected(50));
        }
    }
}
