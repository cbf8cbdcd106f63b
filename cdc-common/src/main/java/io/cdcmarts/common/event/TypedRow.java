package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.util.List;

/**
 * A row that describes its own columns, the value format of the staging and mart topics:
 * {@code {"schema": {"type": "struct", "fields": [...]}, "payload": {...}}}, the same shape and the
 * same value encodings as the raw topics' change events (decimals as exact JSON numbers, Debezium
 * time types). A consumer can create its table from the first row, as it does for raw events.
 *
 * @param columns the columns in table order
 * @param values  the values by column name
 */
public record TypedRow(List<ColumnSpec> columns, ObjectNode values) {

    public TypedRow {
        columns = List.copyOf(columns);
    }

    public byte[] toBytes() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode schema = root.putObject("schema");
        schema.put("type", "struct");
        schema.set("fields", ColumnSpecs.write(columns));
        root.set("payload", values);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a row as JSON", e);
        }
    }

    /**
     * Reads a typed row: its schema recognised from earlier rows ({@link TypedRowEnvelope}), its
     * values as a tree.
     *
     * @throws MalformedEventException when the bytes are not a typed row
     */
    public static TypedRow parse(byte[] bytes) {
        return TypedRowEnvelope.read(bytes).toRow();
    }
}
