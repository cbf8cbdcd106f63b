package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TypedRow#toBytes} reuses a table's schema bytes and still writes what a tree would. */
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
}
