package io.cdcmarts.sink.replica;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.testing.CaughtUp;
import io.cdcmarts.sink.testing.ChangeEvents;
import io.cdcmarts.sink.testing.ReplicaReader;
import io.cdcmarts.sink.testing.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.cdcmarts.sink.testing.ChangeEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real sink on the in-process broker keeps {@code --replica}, and a DuckDB reader in another
 * process ({@link ReplicaReader}) opens it read-only over and over while the sink writes.
 */
class ReplicaIT {

    private static final List<String> TABLES = List.of("alpha", "beta");
    private static final int WAVES = 4;
    private static final int PER_WAVE = 1_500;

    @TempDir
    Path dir;

    private final String prefix = "replica" + UUID.randomUUID().toString().substring(0, 8);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger sinkLogger = (Logger) LoggerFactory.getLogger("io.cdcmarts.sink");
    private Process reader;
    private SinkService sink;

    @AfterEach
    void stop() throws Exception {
        if (reader != null) {
            reader.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (sink != null) {
            sink.close();
        }
        sinkLogger.detachAppender(logs);
    }

    /** Inserts of ids [from, to) into every table: the invariant {@link ReplicaReader} checks. */
    private void sendInserts(long from, long to) {
        List<TestKafka.Message> messages = new ArrayList<>();
        for (String table : TABLES) {
            ChangeEvents events = ChangeEvents.table(table).int64("id").string("note");
            for (long id = from; id < to; id++) {
                var r = row("id", id, "note", "note " + id);
                messages.add(TestKafka.Message.of(prefix + ".raw." + table, events.key(r), events.insert(r)));
            }
        }
        TestKafka.send(messages);
    }

    private List<String> readerLines(Path out) throws Exception {
        return Files.exists(out) ? Files.readAllLines(out) : List.of();
    }

    private static long rowsSeen(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("OK ")).mapToLong(l -> Long.parseLong(l.split(" ")[2])).max().orElse(-1);
    }

    @Test
    void aReaderInAnotherProcessAlwaysOpensAWholeConsistentReplicaAndSeesEveryRefresh() throws Exception {
        // Given a sink writing small batches (polls of 100, batches of at most 300 messages), with
        // a replica refreshed every second, and logs captured from WARN up
        logs.start();
        sinkLogger.addAppender(logs);
        for (String table : TABLES) {
            TestKafka.createTopics(1, prefix + ".raw." + table);
        }
        Path file = dir.resolve("sink.duckdb");
        Path replica = dir.resolve("shared").resolve("replica.duckdb"); // a name that once made a schema "replica" ambiguous
        sink = new SinkService(SinkConfig.builder(KafkaSettings.of(TestKafka.bootstrap(), prefix))
                .duckdbPath(file).groupId(prefix).pollTimeout(Duration.ofMillis(100)).maxPollRecords(100).maxBatchRecords(300)
                .replicaPath(replica).replicaEvery(Duration.ofSeconds(1)).build(), new SimpleMeterRegistry());
        sink.start();
        sendInserts(0, PER_WAVE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(replica));

        // When a reader process opens the replica in a loop while the sink goes on writing wave after wave
        Path out = dir.resolve("reader.out");
        Path stopFile = dir.resolve("reader.stop");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ReplicaReader.class.getName(),
                replica.toString(), out.toString(), stopFile.toString()));
        command.addAll(TABLES);
        command.add(prefix);
        reader = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("reader.log").toFile()).start();
        for (int wave = 1; wave < WAVES; wave++) {
            long shown = (long) wave * PER_WAVE * TABLES.size();
            await().atMost(Duration.ofSeconds(90)).until(() -> rowsSeen(readerLines(out)) == shown);
            sendInserts((long) wave * PER_WAVE, (long) (wave + 1) * PER_WAVE);
        }
        long total = (long) WAVES * PER_WAVE * TABLES.size();
        CaughtUp.awaitCommitted(sink, prefix, total);
        await().atMost(Duration.ofSeconds(90)).until(() -> rowsSeen(readerLines(out)) == total);
        Files.createFile(stopFile);
        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // Then it never failed to open it nor saw tables at different offsets or half a batch
        List<String> lines = readerLines(out);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("OK "));
        // and it saw every wave through a new refresh: the refresh time moves forward, the rows grow
        List<long[]> seen = lines.stream().map(l -> l.split(" "))
                .map(p -> new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])}).toList();
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)[0]).as("refresh time of open %d", i).isGreaterThanOrEqualTo(seen.get(i - 1)[0]);
            assertThat(seen.get(i)[1]).as("rows of open %d", i).isGreaterThanOrEqualTo(seen.get(i - 1)[1]);
        }
        assertThat(seen.stream().map(s -> s[0]).distinct().count()).isGreaterThanOrEqualTo(WAVES);
        assertThat(seen.stream().map(s -> s[1]).distinct().toList())
                .contains((long) PER_WAVE * TABLES.size(), total);
        // and once the sink has stopped, no temporary file is left beside it, and it said nothing at WARN or above
        sink.close();
        try (var files = Files.list(replica.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("replica.duckdb");
        }
        assertThat(logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList()).isEmpty();
    }
}
