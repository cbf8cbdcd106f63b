package io.cdcmarts.sink.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.sink.testing.TestKafka;
import io.cdcmarts.sink.testing.TestKafka.Message;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cdcmarts.sink.dlq.DlqSummaryTest.deadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code cdc-marts dlq} against a real Kafka broker, with dead letters in the processor's format. */
class DlqCommandIT {

    private final String prefix = "dlqit" + UUID.randomUUID().toString().substring(0, 8);
    private final String customers = prefix + ".dlq.customers";
    private final String orders = prefix + ".dlq.orders";

    private static byte[] key(long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the command to its end and returns what it printed. */
    private String run(String... options) {
        StringWriter out = new StringWriter();
        int code = commandLine(new DlqCommand(), out).execute(options);
        assertThat(code).as("exit code of dlq %s", List.of(options)).isZero();
        return out.toString();
    }

    private static CommandLine commandLine(DlqCommand command, Writer out) {
        return new CommandLine(command).setOut(new PrintWriter(out, true));
    }

    private String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("--kafka-bootstrap", TestKafka.bootstrap(), "--topic-prefix", prefix));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static JsonNode counts(String jsonOutput) throws Exception {
        JsonNode first = Json.MAPPER.readTree(jsonOutput.lines().findFirst().orElseThrow());
        assertThat(first.path("type").asText()).isEqualTo("counts");
        return first;
    }

    @Test
    void countsFiltersAndShowsTheLatestStraightFromTheTopics() throws Exception {
        // Given dead letters of two tables over three partitions, one malformed message kept as bytes by the
        // processor, and one message on a dead-letter topic that is not a dead-letter record at all
        TestKafka.createTopics(2, customers);
        TestKafka.createTopics(1, orders);
        byte[] garbage = {(byte) 0xC3, 0x28, 'x'};
        DeadLetter malformed = new DeadLetter("orders", null, null,
                List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, "not JSON")),
                new DeadLetter.Source(prefix + ".raw.orders", 0, 3, -1, null), Instant.now(), Base64.getEncoder().encodeToString(garbage));
        TestKafka.send(List.of(
                new Message(customers, 0, key(1), deadLetter("customers", 1, "pattern", "max").toBytes()),
                new Message(customers, 1, key(2), deadLetter("customers", 2, "pattern").toBytes()),
                new Message(customers, 1, key(3), deadLetter("customers", 3, "not_null").toBytes()),
                Message.of(orders, key(4), deadLetter("orders", 4, "accepted_values").toBytes()),
                Message.of(orders, null, malformed.toBytes()),
                Message.of(orders, key(6), "{\"not\": \"a dead letter\"}".getBytes(StandardCharsets.UTF_8))));
        Instant mark = Instant.now().plusMillis(1);
        await().until(() -> Instant.now().isAfter(mark));
        TestKafka.send(List.of(new Message(customers, 0, key(7), deadLetter("customers", 7, "min").toBytes())));

        // When counting everything, then with each filter
        JsonNode all = counts(run(args("--json")));
        JsonNode onlyOrders = counts(run(args("--json", "--table", "orders")));
        JsonNode onlyPattern = counts(run(args("--json", "--check", "pattern,min")));
        JsonNode since = counts(run(args("--json", "--since", mark.toString())));

        // Then the counts are what the topics hold, by table and check (a record counted once per check)
        assertThat(all.path("total").asLong()).isEqualTo(7);
        assertThat(all.path("topics").asInt()).isEqualTo(2);
        assertThat(all.at("/tables/customers/records").asLong()).isEqualTo(4);
        assertThat(all.at("/tables/customers/checks").toString())
                .isEqualTo("{\"max\":1,\"min\":1,\"not_null\":1,\"pattern\":2}");
        assertThat(all.at("/tables/orders/checks").toString()).isEqualTo("{\"accepted_values\":1,\"malformed\":2}");
        assertThat(onlyOrders.path("total").asLong()).isEqualTo(3);
        assertThat(onlyOrders.path("tables").has("customers")).isFalse();
        assertThat(onlyPattern.path("total").asLong()).isEqualTo(3);
        assertThat(since.path("total").asLong()).isEqualTo(1);
        assertThat(since.at("/tables/customers/checks/min").asLong()).isEqualTo(1);

        // And the latest records read for people, malformed ones with their bytes summarised
        String text = run(args("--limit", "3"));
        assertThat(text).contains("Dead letters in 2 topics, every table, from the beginning: 7 records", "Latest 3, oldest first:",
                "raw 3 bytes, base64 " + Base64.getEncoder().encodeToString(garbage),
                "not a dead-letter record", "key {\"id\":7}", "dlq " + customers + "[0]@1");
        assertThat(text).doesNotContain("key {\"id\":1}");
    }

    @Test
    void followPrintsNewDeadLettersUntilStopped() throws Exception {
        // Given one dead letter already there
        TestKafka.createTopics(1, customers, orders);
        TestKafka.send(List.of(Message.of(customers, key(1), deadLetter("customers", 1, "pattern").toBytes())));
        BoundedWriter out = new BoundedWriter(64 * 1024);
        DlqCommand command = new DlqCommand();
        CommandLine cli = commandLine(command, out);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.execute(args("--follow", "--table", "customers", "--limit", "5")));
        await().atMost(Duration.ofSeconds(60)).until(() -> out.text().contains("Following new dead letters"));
        assertThat(out.text()).contains("1 records", "key {\"id\":1}");

        // When new dead letters arrive, one of a filtered-out table
        TestKafka.send(List.of(Message.of(orders, key(8), deadLetter("orders", 8, "accepted_values").toBytes()),
                Message.of(customers, key(9), deadLetter("customers", 9, "not_null").toBytes())));

        // Then the one that matches is printed, and the command ends cleanly when stopped
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(out.text()).contains("key {\"id\":9}"));
        command.stop();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.text()).doesNotContain("key {\"id\":8}");
    }

    @Test
    void anUnreachableBrokerIsAClearError() {
        DlqCommand command = new DlqCommand();
        new CommandLine(command).setOut(new PrintWriter(new StringWriter()))
                .parseArgs("--kafka-bootstrap", "localhost:1", "--kafka-timeout", "2s");
        assertThatThrownBy(command::call).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Kafka at localhost:1 within 2s");
    }

    /** Output that keeps at most {@code limit} characters: a follow that runs away cannot fill the heap. */
    static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;

        BoundedWriter(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(char[] chars, int off, int len) {
            text.append(chars, off, Math.min(len, Math.max(0, limit - text.length())));
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
