package io.cdcmarts.processor.serde;

import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.testing.InMemorySchemaLog;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Typed rows are written lean (payload + header, schema published once) and read in both forms. */
class TypedRowSerdeTest {

    private static final List<ColumnSpec> COLUMNS = List.of(
            new ColumnSpec("id", "int64", null, Map.of(), false),
            new ColumnSpec("status", "string", null, Map.of(), true));

    private final InMemorySchemaLog log = new InMemorySchemaLog();
    private final List<String> published = new ArrayList<>();
    private final TypedRowSerde serde = new TypedRowSerde((id, json) -> {
        published.add(id);
        log.add(id, json);
    }, new SchemaDirectory(log));

    private static TypedRow row(long id, String status) {
        return new TypedRow(COLUMNS, Json.MAPPER.createObjectNode().put("id", id).put("status", status));
    }

    /** The same columns and values (a parsed number is an int node where the written one was a long). */
    private static void assertSame(TypedRow read, TypedRow written) {
        assertThat(read.columns()).isEqualTo(written.columns());
        assertThat(read.values().toString()).isEqualTo(written.values().toString());
    }

    @Test
    void writesThePayloadAndNamesTheSchemaItPublishedOnce() {
        Serializer<TypedRow> serializer = serde.serializer();
        RecordHeaders first = new RecordHeaders();
        RecordHeaders second = new RecordHeaders();
        byte[] one = serializer.serialize("p.stg.orders", first, row(1, "paid"));
        byte[] two = serializer.serialize("p.stg.orders", second, row(2, "shipped"));

        assertThat(new String(one, StandardCharsets.UTF_8)).isEqualTo("{\"id\":1,\"status\":\"paid\"}");
        String id = SchemaIds.from(first);
        assertThat(id).isEqualTo(row(0, "x").schemaId());
        assertThat(SchemaIds.from(second)).isEqualTo(id);
        assertThat(published).containsExactly(id);
        assertSame(serde.deserializer().deserialize("p.stg.orders", second, two), row(2, "shipped"));
    }

    @Test
    void replacesAHeaderOfThatNameTheRecordCarried() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SchemaIds.HEADER, SchemaIds.bytes("0".repeat(32))); // e.g. a raw message's, carried along
        serde.serializer().serialize("p.stg.orders", headers, row(1, "paid"));
        assertThat(headers.headers(SchemaIds.HEADER)).hasSize(1);
        assertThat(SchemaIds.from(headers)).isEqualTo(row(1, "paid").schemaId());

        RecordHeaders tombstone = new RecordHeaders();
        tombstone.add(SchemaIds.HEADER, SchemaIds.bytes("0".repeat(32)));
        assertThat(serde.serializer().serialize("p.stg.orders", tombstone, null)).isNull();
        assertThat(tombstone.headers(SchemaIds.HEADER)).isEmpty();
    }

    @Test
    void readsTheInlineFormOfEarlierVersions() {
        TypedRow row = row(3, "pending");
        assertSame(serde.deserializer().deserialize("p.stg.orders", new RecordHeaders(), row.toBytes()), row);
        assertThat(serde.serializer().serialize("p.stg.orders", row)).isEqualTo(row.toBytes()); // no headers: self-describing
    }
}
