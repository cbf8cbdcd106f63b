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
 * A row that describes its own columns, the value of the staging, mart and open-failure topics. Lean
 * (since 2026-12-04): the value is the row's values as a JSON object ({@link #payloadBytes()}), and
 * the header {@link SchemaIds#HEADER} names its schema {@code {"type": "struct", "fields": [...]}}
 * ({@link #schemaJson()}), held once on the schema topic like the raw topics' schemas. Inline
 * (before): {@code {"schema": {...}, "payload": {...}}} in every value ({@link #toBytes()}), still
 * read. The value encodings are the raw topics' (decimals as exact JSON numbers, Debezium time
 * types). A consumer can create its table from the first row, as it does for raw events.
 *
 * @param columns the columns in table order
 * @param values  the values by column name
 */
public record TypedRow(List<ColumnSpec> columns, ObjectNode values) {

    public TypedRow {
        columns = List.copyOf(columns);
    }

    /**
     * The row in the former inline form, {@code {"schema":S,"payload":P}}: what
     * {@link #schemaJson()} and {@link #payloadBytes()} are, in one value. Readers still read it;
     * the processor writes the lean form (the payload, its schema named by a header).
     */
    public byte[] toBytes() {
        byte[] head = Schemas.of(columns).inlineHead;
        byte[] payload = payloadBytes();
        byte[] out = Arrays.copyOf(head, head.length + payload.length + 1);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** The values alone, as a JSON object: the lean value. */
    public byte[] payloadBytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(values);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a row as JSON", e);
        }
    }

    /**
     * The row's schema, {@code {"type":"struct","fields":[…]}}: the same for every row with these
     * columns, and the entry a lean value's {@link SchemaIds#HEADER} names on the schema topic.
     */
    public byte[] schemaJson() {
        return Schemas.of(columns).json.clone();
    }

    /** The id of {@link #schemaJson()} ({@link SchemaIds#of}), computed once per column list. */
    public String schemaId() {
        return Schemas.of(columns).id;
    }

    /**
     * Per column list, its schema's bytes, id and the inline form's head, written once: writing
     * the schema was most of the cost of a row.
     */
    private static final class Schemas {
        private static final int MAX = 1024; // column lists are per table; a bound in case they churn
        private static final Map<List<ColumnSpec>, Schemas> KNOWN = new ConcurrentHashMap<>();

        final byte[] json;
        final String id;
        /** {@code {"schema":S,"payload":} */
        final byte[] inlineHead;

        private Schemas(byte[] json) {
            this.json = json;
            this.id = SchemaIds.of(json);
            byte[] open = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
            byte[] middle = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
            byte[] head = Arrays.copyOf(open, open.length + json.length + middle.length);
            System.arraycopy(json, 0, head, open.length, json.length);
            System.arraycopy(middle, 0, head, open.length + json.length, middle.length);
            this.inlineHead = head;
        }

        static Schemas of(List<ColumnSpec> columns) {
            Schemas schemas = KNOWN.get(columns);
            if (schemas == null) {
                if (KNOWN.size() >= MAX) {
                    KNOWN.clear();
                }
                schemas = new Schemas(write(columns));
                KNOWN.put(columns, schemas);
            }
            return schemas;
        }

        private static byte[] write(List<ColumnSpec> columns) {
            ObjectNode schema = Json.MAPPER.createObjectNode();
            schema.put("type", "struct");
            schema.set("fields", ColumnSpecs.write(columns));
            try {
                return Json.MAPPER.writeValueAsBytes(schema);
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

    /**
     * Reads a typed row in either form: lean when {@code schemaId} (the message's
     * {@link SchemaIds#HEADER}) is not null, its schema from {@code directory}; inline otherwise.
     *
     * @throws MalformedEventException when the bytes are not a typed row, or the schema is not found
     */
    public static TypedRow parse(byte[] bytes, String schemaId, SchemaDirectory directory) {
        return TypedRowEnvelope.read(bytes, schemaId, directory).toRow();
    }
}
