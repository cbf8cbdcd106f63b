package io.cdcmarts.sink;

import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.rebuild.Rebuild;
import io.cdcmarts.sink.testing.ChangeEvents;
import io.cdcmarts.sink.testing.Rows;
import io.cdcmarts.sink.testing.TestKafka;
import io.cdcmarts.sink.testing.TestKafka.Message;
import io.cdcmarts.sink.verify.VerifyCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.cdcmarts.sink.testing.ChangeEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code rebuild} through the sink's code path against a real broker: a file equal to the live
 * one, tombstones of tables never seen are deletes of nothing, and the rebuilt file swapped in
 * continues from its stored offsets without repeating or losing a message.
 */
class RebuildIT {

    @TempDir
    Path dir;

    private final String prefix = "rb" + UUID.randomUUID().toString().substring(0, 8);
    private final List<SinkService> services = new ArrayList<>();
    private final ChangeEvents customers = ChangeEvents.table("customers").int64("id").string("email");
    private long sent;

    @AfterEach
    void stop() {
        services.forEach(SinkService::close);
    }

    private SinkConfig config(Path file) {
        return SinkConfig.builder(KafkaSettings.of(TestKafka.bootstrap(), prefix)).duckdbPath(file)
                .maxPollRecords(3).pollTimeout(Duration.ofMillis(200)).topicRefresh(Duration.ofSeconds(1)).build();
    }

    private SinkService startSink(Path file) {
        SinkService s = new SinkService(config(file), new SimpleMeterRegistry(), Clock.systemUTC(), BatchApplier.BeforeCommit.NONE);
        services.add(s);
        s.start();
        return s;
    }

    private void send(List<Message> messages) {
        TestKafka.send(messages);
        sent += messages.size();
    }

    private String topic(String layer, String name) {
        return prefix + "." + layer + "." + name;
    }

    private Message customer(int partition, long id, String email) {
        var r = row("id", id, "email", email);
        return new Message(topic("raw", "customers"), partition, customers.key(r), customers.insert(r));
    }

    /** What a rebuild must reproduce: every row but {@code _ingested_at} and the offsets' {@code updated_at}. */
    private static List<List<Map<String, Object>>> content(Connection c) {
        return List.of(
                Rows.query(c, "SELECT id, email, _op, _lsn, _source_ts FROM raw.customers ORDER BY id"),
                Rows.query(c, "SELECT * FROM stg.customers ORDER BY id"),
                Rows.query(c, "SELECT * EXCLUDE (detected_at) FROM quality.dead_letters ORDER BY source_topic, source_offset"),
                Rows.query(c, "SELECT topic, \"partition\", next_offset FROM _cdc.offsets ORDER BY topic, \"partition\""),
                Rows.query(c, "SELECT table_schema, table_name FROM information_schema.tables "
                        + "WHERE table_schema IN ('raw', 'stg', 'mart', 'quality') ORDER BY ALL"));
    }

    @Test
    void rebuildsAnEqualFileThatASinkContinuesFromWhenSwappedIn() throws Exception {
        // Given every layer's topics over two partitions, with updates, a delete, a dead letter, and tombstones whose
        // inserts compaction removed (of a raw table, a mart and an open failure the file has never seen)
        String raw = topic("raw", "customers");
        TestKafka.createTopics(2, raw, topic("stg", "customers"), topic("raw", "ghosts"), topic("mart", "kpis"),
                topic("dlq", "customers"), prefix + ".quality.open_failures");
        ChangeEvents stg = ChangeEvents.table("customers").int64("id").string("email");
        var c3 = row("id", 3, "email", "c@d.e");
        List<Message> messages = new ArrayList<>(List.of(customer(0, 1, "a@b.c"), customer(1, 2, "b@b.c"), customer(0, 3, "c@d.e"),
                customer(1, 2, "b2@b.c"), new Message(raw, 0, customers.key(c3), customers.delete(c3)),
                new Message(raw, 0, customers.key(c3), null), customer(1, 4, "not-an-email"),
                new Message(topic("raw", "ghosts"), 0, "{\"id\":9}".getBytes(StandardCharsets.UTF_8), null),
                new Message(topic("mart", "kpis"), 1, "{\"kpi_scope\":\"all\"}".getBytes(StandardCharsets.UTF_8), null),
                new Message(prefix + ".quality.open_failures", 0,
                        "{\"table\":\"customers\",\"key\":{\"id\":9}}".getBytes(StandardCharsets.UTF_8), null)));
        for (var r : List.of(row("id", 1, "email", "a@b.c"), row("id", 2, "email", "b2@b.c"))) {
            messages.add(Message.of(topic("stg", "customers"), stg.key(r), stg.typedRow(r)));
        }
        DeadLetter dl = new DeadLetter("customers", null, null, List.of(new DeadLetter.Failure("pattern", "email", null, "not an email")),
                new DeadLetter.Source(raw, 1, 2, 1007, Instant.parse("2024-03-12T08:00:00Z")), Instant.parse("2024-03-12T08:00:01Z"), null);
        messages.add(Message.of(topic("dlq", "customers"), "{\"id\":4}".getBytes(StandardCharsets.UTF_8), dl.toBytes()));
        send(messages);
        Path live = dir.resolve("live.duckdb");
        SinkService sink = startSink(live);
        SinkServiceIT.awaitCaughtUp(sink, prefix, sent);

        // When the file is rebuilt beside it (and refused over it)
        Path rebuilt = dir.resolve("new").resolve("rebuilt.duckdb");
        StringWriter out = new StringWriter();
        Rebuild.Result result = new Rebuild(config(rebuilt), Duration.ofMillis(1), Duration.ofSeconds(30), new PrintWriter(out), Clock.systemUTC()).run();
        Rebuild overLive = new Rebuild(config(live), Duration.ofSeconds(1), Duration.ofSeconds(30), new PrintWriter(new StringWriter()), Clock.systemUTC());

        // Then it caught up and holds what the live file holds, with no dead letter for the tombstones
        assertThatThrownBy(overLive::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(result.caughtUp()).isTrue();
        assertThat(result.messages()).isEqualTo(sent);
        assertThat(out.toString()).contains("rebuild ", "raw ", "quality ", "Caught up");
        List<List<Map<String, Object>>> liveContent;
        try (Connection c = sink.openReader()) {
            liveContent = content(c);
        }
        try (Connection c = VerifyCommand.openReadOnly(rebuilt)) {
            assertThat(content(c)).isEqualTo(liveContent);
            assertThat(Rows.count(c, "quality.dead_letters")).isEqualTo(1);
            assertThat(Rows.query(c, "SELECT id FROM raw.customers ORDER BY id")).extracting(m -> m.get("id")).containsExactly(1L, 2L, 4L);
        }

        // When it is swapped in (sink stopped, file moved over the live one, sink started) and the source moves on
        sink.close();
        Files.move(rebuilt, live, StandardCopyOption.REPLACE_EXISTING);
        SinkService swapped = startSink(live);
        send(List.of(customer(0, 5, "e@f.g"), customer(1, 1, "a2@b.c")));
        SinkServiceIT.awaitCaughtUp(swapped, prefix, sent);

        // Then it continued from the rebuilt file's offsets: new changes in, nothing repeated
        try (Connection c = swapped.openReader()) {
            assertThat(Rows.query(c, "SELECT id, email FROM raw.customers ORDER BY id")).containsExactly(
                    row("id", 1L, "email", "a2@b.c"), row("id", 2L, "email", "b2@b.c"),
                    row("id", 4L, "email", "not-an-email"), row("id", 5L, "email", "e@f.g"));
            assertThat(Rows.count(c, "quality.dead_letters")).isEqualTo(1);
        }
        assertThat(swapped.status().rowsApplied("raw")).isEqualTo(2);
    }

    @Test
    void aRebuildStoppedEarlyLeavesAConsistentFileASinkFinishes() throws Exception {
        // Given changes in a topic
        String raw = topic("raw", "customers");
        TestKafka.createTopics(1, raw);
        send(List.of(customer(0, 1, "a@b.c"), customer(0, 2, "b@b.c"), customer(0, 1, "a2@b.c")));

        // When the rebuild is stopped (Ctrl-C) before it caught up
        Path rebuilt = dir.resolve("partial.duckdb");
        StringWriter out = new StringWriter();
        Rebuild rebuild = new Rebuild(config(rebuilt), Duration.ofSeconds(5), Duration.ofSeconds(30), new PrintWriter(out), Clock.systemUTC());
        rebuild.stop();
        Rebuild.Result result = rebuild.run();

        // Then it says so and leaves a closed sink file, which a sink started on it completes
        assertThat(result.caughtUp()).isFalse();
        assertThat(out.toString()).contains("Stopped before catching up", "consistent up to its stored offsets");
        SinkService sink = startSink(rebuilt);
        SinkServiceIT.awaitCaughtUp(sink, prefix, sent);
        try (Connection c = sink.openReader()) {
            assertThat(Rows.query(c, "SELECT id, email FROM raw.customers ORDER BY id"))
                    .containsExactly(row("id", 1L, "email", "a2@b.c"), row("id", 2L, "email", "b@b.c"));
        }
    }
}
