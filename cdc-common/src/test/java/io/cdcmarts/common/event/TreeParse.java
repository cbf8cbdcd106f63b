package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.util.List;

/**
 * How messages were read before they were streamed: a tree of the whole message, schema included.
 * Kept as the oracle the streaming readers must agree with, results and error messages alike (how
 * a schema tree describes columns is not what changed: that is shared).
 */
final class TreeParse {

    private TreeParse() {
    }

    static RawChangeEvent changeEvent(byte[] value) {
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
        List<ColumnSpec> columns = EnvelopeSchema.imageColumns(schema, "d".equals(op) ? "before" : "after");
        JsonNode source = payload.get("source");
        long lsn = longOr(source, "lsn", -1);
        long txId = longOr(source, "txId", -1);
        long sourceTs = longOr(source, "ts_ms", 0);
        long ts = longOr(payload, "ts_ms", sourceTs);
        return new RawChangeEvent(op, columns, before, after, lsn, txId, sourceTs, ts);
    }

    static TypedRow typedRow(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("payload").isObject() || !root.path("schema").isObject()) {
            throw new MalformedEventException("not a typed row: expected {schema, payload} objects");
        }
        return new TypedRow(ColumnSpecs.parse(root.get("schema").get("fields"), "schema"), (ObjectNode) root.get("payload"));
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
