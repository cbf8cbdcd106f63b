package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.util.List;

/**
 * A Debezium change event as the raw topics carry it: the JSON converter's
 * {@code {"schema": …, "payload": {"op", "before", "after", "source", "ts_ms"}}} envelope, with
 * decimals written as JSON numbers (exact). The schema gives the column types, so a consumer can
 * create and widen tables from the events alone.
 *
 * @param op        c (insert), u (update), d (delete), r (snapshot read), t (truncate)
 * @param columns   the row's columns in source order (from the schema of {@code after}, or of
 *                  {@code before} for a delete)
 * @param before    the row before the change, or null
 * @param after     the row after the change, or null for a delete
 * @param lsn       the source log position, or -1 when the event carries none
 * @param txId      the source transaction id, or -1
 * @param sourceTsMs the commit time at the source, epoch millis
 * @param tsMs      when Debezium processed the event, epoch millis
 */
public record RawChangeEvent(String op, List<ColumnSpec> columns, ObjectNode before, ObjectNode after,
                             long lsn, long txId, long sourceTsMs, long tsMs) {

    /** The value Debezium puts in place of an unchanged TOASTed column it did not receive. */
    public static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

    public boolean isDelete() {
        return "d".equals(op);
    }

    /** The image that identifies the row now: after, or before for a delete. */
    public ObjectNode row() {
        return after != null ? after : before;
    }

    /**
     * Reads one message value.
     *
     * @throws MalformedEventException when the bytes are not JSON or not a Debezium envelope
     */
    public static RawChangeEvent parse(byte[] value) {
        if (value == null) {
            throw new MalformedEventException("a tombstone is not a change event");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        JsonNode schema = root.get("schema");
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new MalformedEventException("no 'payload' object (is the JSON converter's schemas.enable on?)");
        }
        if (schema == null || !schema.isObject()) {
            throw new MalformedEventException("no 'schema' object (is the JSON converter's schemas.enable on?)");
        }
        String op = text(payload, "op");
        if (op == null || !List.of("c", "u", "d", "r", "t").contains(op)) {
            throw new MalformedEventException("'payload.op' is missing or not one of c, u, d, r, t: " + op);
        }
        ObjectNode before = objectOrNull(payload, "before");
        ObjectNode after = objectOrNull(payload, "after");
        if ("d".equals(op) ? before == null : after == null && !"t".equals(op)) {
            throw new MalformedEventException("op '" + op + "' without its row image");
        }
        List<ColumnSpec> columns = columns(schema, "d".equals(op) ? "before" : "after");
        JsonNode source = payload.get("source");
        long lsn = longOr(source, "lsn", -1);
        long txId = longOr(source, "txId", -1);
        long sourceTs = longOr(source, "ts_ms", 0);
        long ts = longOr(payload, "ts_ms", sourceTs);
        return new RawChangeEvent(op, columns, before, after, lsn, txId, sourceTs, ts);
    }

    private static List<ColumnSpec> columns(JsonNode envelopeSchema, String image) {
        JsonNode fields = envelopeSchema.get("fields");
        if (fields == null || !fields.isArray()) {
            throw new MalformedEventException("'schema.fields' is missing");
        }
        for (JsonNode f : fields) {
            if (image.equals(f.path("field").asText(null))) {
                return ColumnSpecs.parse(f.get("fields"), image);
            }
        }
        throw new MalformedEventException("schema has no '" + image + "' field");
    }

    private static ObjectNode objectOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new MalformedEventException("'" + field + "' is not an object");
        }
        return (ObjectNode) v;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long longOr(JsonNode node, String field, long dflt) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isNumber() ? dflt : v.asLong();
    }
}
