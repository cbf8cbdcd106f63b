package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.RawChangeEvent;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same capture scenario on PostgreSQL 15, whose pgoutput leaves generated columns out of
 * streamed rows: capture computes {@code total_price} from its generation expression, and leaves a
 * column it cannot compute ({@code length(name)}) null in streamed events.
 */
class CaptureGeneratedColumnsPg15IT extends AbstractCaptureIT {

    /** Set by Failsafe: the zonky PostgreSQL 15 binaries jar that maven-dependency-plugin copied. */
    static final String BINARIES_PROPERTY = "cdc.test.pg15.binaries";

    @Override
    protected PgDsn server() {
        String jar = System.getProperty(BINARIES_PROPERTY);
        assertThat(jar).as("system property " + BINARIES_PROPERTY).isNotBlank();
        Path path = Path.of(jar);
        assertThat(Files.isRegularFile(path)).as(jar + " exists (run through Maven: pre-integration-test copies it)").isTrue();
        PgDsn pg15 = OlderPostgres.from(path);
        assertThat(OlderPostgres.majorVersion(pg15)).isEqualTo(15);
        return pg15;
    }

    @Override
    protected String prefix() {
        return "capture-pg15-it";
    }

    @Override
    protected void beforeCapture(PgDsn db) {
        Sql.run(db,
                "CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT,"
                        + " name_length INTEGER GENERATED ALWAYS AS (length(name)) STORED)",
                "INSERT INTO labels (id, name) VALUES (1, 'seed')");
    }

    @Test
    @Order(10)
    void streamedEventsDescribeTheComputedColumnAsSnapshotsDo() {
        List<RawChangeEvent> events = RawTopics.read(infra.kafkaBootstrap(), topics.raw("order_items")).stream()
                .filter(m -> m.value() != null).map(RawTopics.Message::event).toList();
        ColumnSpec snapshot = totalPrice(events.stream().filter(e -> e.op().equals("r")).findFirst().orElseThrow());
        ColumnSpec streamed = totalPrice(events.stream().filter(e -> e.op().equals("c")).findFirst().orElseThrow());

        assertThat(streamed).isEqualTo(snapshot);
        assertThat(events.stream().filter(e -> e.op().equals("c")).findFirst().orElseThrow().columns()
                .stream().map(ColumnSpec::name))
                .containsExactly("id", "order_ref", "quantity", "unit_price", "total_price", "created_at");
    }

    @Test
    @Order(11)
    void generatedColumnCaptureCannotComputeIsNullWhenStreamed() {
        Sql.run(db, "INSERT INTO labels (id, name) VALUES (2, 'streamed')");

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                RawTopics.read(infra.kafkaBootstrap(), topics.raw("labels"))).hasSize(2));
        List<RawChangeEvent> events = RawTopics.read(infra.kafkaBootstrap(), topics.raw("labels")).stream()
                .map(RawTopics.Message::event).toList();
        assertThat(events.get(0).op()).isEqualTo("r");
        assertThat(events.get(0).after().get("name_length").asInt()).as("the snapshot reads the stored value").isEqualTo(4);
        assertThat(events.get(1).op()).isEqualTo("c");
        assertThat(events.get(1).after().get("name_length").isNull()).as("untranslatable: left null").isTrue();
    }

    private static ColumnSpec totalPrice(RawChangeEvent e) {
        return e.columns().stream().filter(c -> c.name().equals("total_price")).findFirst().orElseThrow();
    }
}
