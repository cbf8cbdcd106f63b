package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The signal table is optional: a capture whose user may not create it (no CREATE on the database,
 * so a DBA made the publication) or may not publish the one a DBA made still starts, says so in one
 * warning that names the fix, and captures every change, the user's own inserts, updates and
 * deletes going through as before. A signal table the DBA set up as the README says is used as it
 * is: no warning, nothing created or altered, and {@code capture resnapshot} works through it.
 */
class CaptureWithoutSignalTableIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SIGNAL_COLUMNS = " (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048))";

    /** What capture itself would set on PostgreSQL 18 (else it alters the DBA's publication, which it may not). */
    private static final String PG18_OPTIONS = " WITH (publish_generated_columns = stored)";

    private final Infra infra = SharedInfra.get();

    @Test
    void aUserWhoMayNotCreateTheSignalTableCapturesWithOneWarning() {
        String prefix = "capture-nosignal-it";
        PgDsn admin = infra.newDatabase(prefix);
        PgDsn user = limitedUser(admin, "nosignal");
        CaptureConfig config = config(user, prefix);
        Sql.run(admin, "CREATE PUBLICATION " + config.publication() + " FOR TABLE items" + PG18_OPTIONS);
        try (LogCapture logs = new LogCapture(CaptureService.class.getName());
             CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
            capture.start();
            writeAndAwaitCapture(user, prefix);
            assertThat(signalLines(logs)).singleElement().satisfies(l -> assertThat(l)
                    .contains("cannot create the signal table " + config.signalTable().qualified())
                    .contains("--signal-table none").contains("capture resnapshot cannot ask")
                    .doesNotContain("'nosignal'@"));
        } finally {
            dropSlot(admin, config);
        }
        assertThat(Sql.queryString(admin, "SELECT to_regnamespace('cdc_marts')::text")).as("nothing created").isNull();
        assertThat(published(admin, config)).as("the DBA's publication is left alone").isEqualTo("public.items");
    }

    @Test
    void aSignalTableCaptureMayNotPublishIsLeftAloneWithOneWarning() {
        String prefix = "capture-foreignsignal-it";
        PgDsn admin = infra.newDatabase(prefix);
        PgDsn user = limitedUser(admin, "foreignsignal");
        CaptureConfig config = config(user, prefix);
        String signal = config.signalTable().qualified();
        Sql.run(admin, "CREATE SCHEMA cdc_marts", "CREATE TABLE " + signal + SIGNAL_COLUMNS,
                "GRANT USAGE ON SCHEMA cdc_marts TO foreignsignal", "GRANT SELECT, INSERT ON " + signal + " TO foreignsignal",
                "CREATE PUBLICATION " + config.publication() + " FOR TABLE items" + PG18_OPTIONS);
        try (LogCapture logs = new LogCapture(CaptureService.class.getName());
             CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
            capture.start();
            writeAndAwaitCapture(user, prefix);
            assertThat(signalLines(logs)).singleElement().satisfies(l -> assertThat(l)
                    .contains("cannot use the signal table " + signal)
                    .contains("it is owned by postgres, so capture cannot publish it")
                    .contains("publication " + config.publication() + " is owned by postgres and does not publish it")
                    .contains("ALTER PUBLICATION").contains("--signal-table none"));
        } finally {
            dropSlot(admin, config);
        }
        assertThat(published(admin, config)).isEqualTo("public.items");
    }

    @Test
    void aSignalTableTheDbaSetUpIsUsedWithoutAWarning() {
        String prefix = "capture-givensignal-it";
        PgDsn admin = infra.newDatabase(prefix);
        PgDsn user = limitedUser(admin, "givensignal");
        CaptureConfig config = config(user, prefix);
        String signal = config.signalTable().qualified();
        // the README's recipe for a capture user without CREATE on the database
        Sql.run(admin, "CREATE SCHEMA cdc_marts", "CREATE TABLE " + signal + SIGNAL_COLUMNS,
                "GRANT USAGE ON SCHEMA cdc_marts TO givensignal", "GRANT SELECT, INSERT ON " + signal + " TO givensignal",
                "CREATE PUBLICATION " + config.publication() + " FOR TABLE items, " + signal + PG18_OPTIONS);
        String topic = new TopicNames(prefix).raw("items");
        try (LogCapture logs = new LogCapture(CaptureService.class.getName());
             CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
            capture.start();
            writeAndAwaitCapture(user, prefix);
            assertThat(signalLines(logs)).isEmpty();

            int exit = new CommandLine(new CaptureCommand()).execute("resnapshot", "--pg-url", user.toUrlWithPassword(),
                    "--topic-prefix", prefix, "items");
            assertThat(exit).isZero();
            // one read event from the initial snapshot (row 1), then one per row left (1 and 2)
            await().atMost(WAIT).until(() -> RawTopics.read(infra.kafkaBootstrap(), topic).stream()
                    .filter(m -> m.value() != null && "r".equals(m.event().op())).count() == 3);
        } finally {
            dropSlot(admin, config);
        }
        assertThat(published(admin, config)).isEqualTo(signal + ",public.items");
    }

    /** A login with REPLICATION that owns its table but has no CREATE on the database. */
    private static PgDsn limitedUser(PgDsn admin, String role) {
        Sql.run(admin, "DO $$ BEGIN CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD '" + role + "';"
                        + " EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "GRANT CREATE ON SCHEMA public TO " + role);
        PgDsn user = PgDsn.of(admin.host(), admin.port(), admin.database(), role, role);
        Sql.run(user, "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT)", "INSERT INTO items VALUES (1, 'a')");
        return user;
    }

    private CaptureConfig config(PgDsn user, String prefix) {
        return CaptureConfig.builder(user, KafkaSettings.of(infra.kafkaBootstrap(), prefix))
                .tables(List.of("items"))
                .build();
    }

    /** The user's writes succeed while capture runs, and the folded topic ends up equal to the table. */
    private void writeAndAwaitCapture(PgDsn user, String prefix) {
        Sql.run(user, "INSERT INTO items VALUES (2, 'b'), (3, 'c')", "UPDATE items SET name = 'B' WHERE id = 2",
                "DELETE FROM items WHERE id = 3");
        String topic = new TopicNames(prefix).raw("items");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                PgRows.fromFolded(RawTopics.fold(RawTopics.read(infra.kafkaBootstrap(), topic)),
                        PgRows.types(user, "items"), List.of("id")))
                .isEqualTo(PgRows.fromPostgres(user, "items", List.of("id"))));
        assertThat(PgRows.fromPostgres(user, "items", List.of("id"))).hasSize(2);
    }

    private static void dropSlot(PgDsn admin, CaptureConfig config) {
        Sql.run(admin, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + config.slot() + "'");
    }

    private static String published(PgDsn admin, CaptureConfig config) {
        return Sql.queryString(admin, "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename)"
                + " FROM pg_publication_tables WHERE pubname = '" + config.publication() + "'");
    }

    private static List<String> signalLines(LogCapture logs) {
        return logs.lines().stream().filter(l -> l.contains("signal table")).toList();
    }
}
