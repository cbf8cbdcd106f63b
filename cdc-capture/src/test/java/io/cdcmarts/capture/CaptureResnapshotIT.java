package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code capture resnapshot}: a capture started without a snapshot ({@code no_data}) streams only
 * new changes; asked through its signal table, it sends one table's existing rows as read events
 * while it keeps streaming, and leaves the other tables alone. The folded topic then equals the
 * table, including a row updated while the snapshot was asked for; a table with a stored generated
 * column (order_items), which Debezium's incremental snapshot cannot read, comes by a blocking one.
 */
class CaptureResnapshotIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Infra infra = SharedInfra.get();

    @Test
    void snapshotsOneTableAgainWhileStreaming() {
        String prefix = "capture-resnapshot-it";
        TopicNames topics = new TopicNames(prefix);
        PgDsn db = infra.newDatabase(prefix);
        Sql.run(db, Sql.SCHEMA);
        Sql.run(db, Sql.SEED);
        CaptureConfig config = CaptureConfig.builder(db, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .snapshotMode("no_data")
                .build();
        String bootstrap = infra.kafkaBootstrap();
        try (CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
            capture.start();
            Sql.run(db, "INSERT INTO products (name, price) VALUES ('Cap', 9.99)");
            await().atMost(WAIT).until(() -> RawTopics.read(bootstrap, topics.raw("products")).size() == 1);
            assertThat(RawTopics.read(bootstrap, topics.raw("order_items"))).as("no initial snapshot").isEmpty();

            StringWriter out = new StringWriter();
            CommandLine command = new CommandLine(new CaptureCommand());
            command.setOut(new PrintWriter(out));
            int exit = command.execute("resnapshot", "--pg-url", db.toUrlWithPassword(), "--topic-prefix", prefix,
                    "products", "order_items");
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains("incremental snapshot of [products]", config.signalTable().qualified())
                    .contains("blocking snapshot of [order_items]");
            // streaming goes on while the snapshot runs
            Sql.run(db, "UPDATE products SET price = 2.00 WHERE id = 1");

            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    PgRows.fromFolded(RawTopics.fold(RawTopics.read(bootstrap, topics.raw("products"))),
                            PgRows.types(db, "products"), List.of("id")))
                    .isEqualTo(PgRows.fromPostgres(db, "products", List.of("id"))));
            List<RawTopics.Message> products = RawTopics.read(bootstrap, topics.raw("products"));
            assertThat(products.stream().filter(m -> m.value() != null).map(m -> m.event().op()))
                    .as("the seed rows arrive as read events").contains("r");
            // order_items has a stored generated column, which Debezium's incremental snapshot cannot read
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    PgRows.fromFolded(RawTopics.fold(RawTopics.read(bootstrap, topics.raw("order_items"))),
                            PgRows.types(db, "order_items"), List.of("id")))
                    .isEqualTo(PgRows.fromPostgres(db, "order_items", List.of("id"))));
            assertThat(RawTopics.read(bootstrap, topics.raw("product_tags"))).as("only the named tables").isEmpty();
        } finally {
            Sql.run(db, "SELECT pg_drop_replication_slot('" + config.slot() + "')");
        }
        assertThat(RawTopics.topicNames(bootstrap)).noneMatch(t -> t.contains("signal"));
    }

    @Test
    void refusesATableThatDoesNotExist() {
        PgDsn db = infra.newDatabase("capture-resnapshot-missing");
        Sql.run(db, Sql.SCHEMA);
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new CaptureCommand());
        command.setErr(new PrintWriter(err));
        command.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(e.getMessage());
            return 1;
        });
        int exit = command.execute("resnapshot", "--pg-url", db.toUrlWithPassword(), "--topic-prefix", "nowhere",
                "no_such_table");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("no_such_table does not exist").doesNotContain(db.password() == null ? "\u0000" : db.password());
    }
}
