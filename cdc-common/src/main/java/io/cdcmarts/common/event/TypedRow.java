package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * The row as JSON. The schema part is the same for every row of a table, so its bytes are
     * written once per column list and reused: writing it was most of the cost of a row.
     */
    public byte[] toBytes() {
        byte[] head = SchemaHeads.of(columns);
        byte[] payload;
        try {
            payload = Json.MAPPER.writeValueAsBytes(values);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a row as JSON", e);
        }
        byte[] out = Arrays.copyOf(head, head.length + payload.length + 1);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** {@code {"schema":{...},"payload":} per column list, written once. */
    private static final class SchemaHeads {
        private static final int MAX = 1024; // column lists are per table; a bound in case they churn
        private static final Map<List<ColumnSpec>, byte[]> HEADS = new ConcurrentHashMap<>();

        static byte[] of(List<ColumnSpec> columns) {
            byte[] head = HEADS.get(columns);
            if (head == null) {
                if (HEADS.size() >= MAX) {
                    HEADS.clear();
                }
                head = write(columns);
                HEADS.put(columns, head);
            }
            return head;
        }

        private static byte[] write(List<ColumnSpec> columns) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            ObjectNode schema = root.putObject("schema");
            schema.put("type", "struct");
            schema.set("fields", ColumnSpecs.write(columns));
            try {
                String json = Json.MAPPER.writeValueAsString(root);
                return (json.substring(0, json.length() - 1) + ",\"payload\":").getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write a row schema as JSON", e);
            }
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
