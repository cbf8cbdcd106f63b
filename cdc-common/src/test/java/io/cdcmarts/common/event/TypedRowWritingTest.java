package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TypedRow#toBytes} reuses a table's schema bytes and still writes what a tree would; the
 * lean form is the same payload with the same schema held apart under its id.
 */
class TypedRowWritingTest {

    private static final List<ColumnSpec> COLUMNS = List.of(
            new ColumnSpec("id", "int64", null, Map.of(), false),
            new ColumnSpec("price", "bytes", ColumnSpec.DECIMAL, Map.of("scale", "2"), true),
            new ColumnSpec("name", "string", null, Map.of(), true));

    @Test
    void writesTheBytesOfTheWholeRowAsOneTree() throws Exception {
        for (int i = 0; i < 3; i++) { // the first write fills the schema cache, the others read it
            ObjectNode values = Json.MAPPER.createObjectNode().put("id", i).put("price", new BigDecimal("12.3" + i)).put("name", "a\"b " + i);
            TypedRow row = new TypedRow(COLUMNS, values);

            ObjectNode tree = Json.MAPPER.createObjectNode();
            ObjectNode schema = tree.putObject("schema");
            schema.put("type", "struct");
            schema.set("fields", ColumnSpecs.write(COLUMNS));
            tree.set("payload", values);
            assertThat(new String(row.toBytes())).isEqualTo(Json.MAPPER.writeValueAsString(tree));
            assertThat(TypedRow.parse(row.toBytes())).isEqualTo(row);
        }
    }

    @Test
    void anotherColumnListGetsItsOwnSchema() {
        List<ColumnSpec> fewer = COLUMNS.subList(0, 1);
        TypedRow one = new TypedRow(COLUMNS, Json.MAPPER.createObjectNode().put("id", 1));
        TypedRow two = new TypedRow(fewer, Json.MAPPER.createObjectNode().put("id", 1));
        assertThat(TypedRow.parse(one.toBytes()).columns()).isEqualTo(COLUMNS);
        assertThat(TypedRow.parse(two.toBytes()).columns()).isEqualTo(fewer);
    }

    @Test
    void theLeanFormIsThePayloadAloneWithTheInlineSchemaUnderItsId() throws Exception {
        ObjectNode values = Json.MAPPER.createObjectNode().put("id", 7).put("price", new BigDecimal("1.50")).putNull("name");
        TypedRow row = new TypedRow(COLUMNS, values);

        byte[] inline = row.toBytes();
        com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(inline);
        assertThat(row.schemaJson()).isEqualTo(Json.MAPPER.writeValueAsBytes(tree.get("schema")));
        assertThat(row.payloadBytes()).isEqualTo(Json.MAPPER.writeValueAsBytes(tree.get("payload")));
        assertThat(row.schemaId()).isEqualTo(SchemaIds.of(row.schemaJson()));

        MemorySchemaLog log = new MemorySchemaLog();
        log.entries.add(new SchemaLog.Entry(row.schemaId(), row.schemaJson()));
        try (SchemaDirectory directory = new SchemaDirectory(log)) {
            assertThat(TypedRow.parse(row.payloadBytes(), row.schemaId(), directory)).isEqualTo(row);
            // no header: the inline form, as before
            assertThat(TypedRow.parse(inline, null, directory)).isEqualTo(row);
            // an id the schema topic does not have, and a value that is not a row object
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TypedRow.parse(row.payloadBytes(), "0".repeat(32), directory))
                    .isInstanceOf(MalformedEventException.class).hasMessageContaining("0".repeat(32));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TypedRow.parse("[1]".getBytes(), row.schemaId(), directory))
                    .isInstanceOf(MalformedEventException.class).hasMessageContaining("not a typed row");
        }
    }
}
