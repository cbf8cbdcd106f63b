package io.cdcmarts.sink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.TypedRow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test data: the messages our topics carry, built by hand in exactly the form the capture service
 * and the processor write them — Debezium JSON envelopes with their schema for raw topics, typed
 * rows for stg/mart, plain JSON object keys.
 */
public final class ChangeEvents {

    private final String table;
    private final List<ColumnSpec> columns;
    private final List<String> key;
    /** The next LSN, shared by a table's builders so that LSNs only grow as a test goes on. */
    private final long[] nextLsn;

    private ChangeEvents(String table, List<ColumnSpec> columns, List<String> key, long[] nextLsn) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.key = List.copyOf(key);
        this.nextLsn = nextLsn;
    }

    /** A table with no columns yet; add them with the typed methods. */
    public static ChangeEvents table(String name) {
        return new ChangeEvents(name, List.of(), List.of("id"), new long[]{1_000});
    }

    public ChangeEvents key(String... columns) {
        return new ChangeEvents(table, this.columns, List.of(columns), nextLsn);
    }

    public ChangeEvents column(String name, String type, String logical, Map<String, String> params, boolean optional) {
        List<ColumnSpec> all = new ArrayList<>(columns);
        all.add(new ColumnSpec(name, type, logical, params, optional));
        return new ChangeEvents(table, all, key, nextLsn);
    }

    public ChangeEvents int64(String name) {
        return column(name, "int64", null, null, !key.contains(name));
    }

    public ChangeEvents int32(String name) {
        return column(name, "int32", null, null, true);
    }

    public ChangeEvents int16(String name) {
        return column(name, "int16", null, null, true);
    }

    public ChangeEvents string(String name) {
        return column(name, "string", null, null, true);
    }

    public ChangeEvents bool(String name) {
        return column(name, "boolean", null, null, true);
    }

    public ChangeEvents float64(String name) {
        return column(name, "float64", null, null, true);
    }

    public ChangeEvents decimal(String name, int precision, int scale) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("scale", Integer.toString(scale));
        p.put("connect.decimal.precision", Integer.toString(precision));
        return column(name, "bytes", ColumnSpec.DECIMAL, p, true);
    }

    public ChangeEvents timestamptz(String name) {
        return column(name, "string", ColumnSpec.ZONED_TIMESTAMP, null, true);
    }

    public ChangeEvents timestamp(String name) {
        return column(name, "int64", ColumnSpec.MICRO_TIMESTAMP, null, true);
    }

    public ChangeEvents date(String name) {
        return column(name, "int32", ColumnSpec.DATE, null, true);
    }

    public ChangeEvents time(String name) {
        return column(name, "int64", ColumnSpec.MICRO_TIME, null, true);
    }

    public ChangeEvents uuid(String name) {
        return column(name, "string", ColumnSpec.UUID, null, true);
    }

    public ChangeEvents json(String name) {
        return column(name, "string", ColumnSpec.JSON, null, true);
    }

    public ChangeEvents bytes(String name) {
        return column(name, "bytes", null, null, true);
    }

    /** The same table after {@code ALTER TABLE … ADD COLUMN}: same builder, one more column. */
    public ChangeEvents withColumn(String name, String type, String logical) {
        return column(name, type, logical, null, true);
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    public List<ColumnSpec> columns() {
        return columns;
    }

    /** The LSN the next event will carry. */
    public long nextLsn() {
        return nextLsn[0];
    }

    // ---- messages -----------------------------------------------------------------------------

    public byte[] insert(Map<String, ?> row) {
        return envelope("c", null, row);
    }

    public byte[] read(Map<String, ?> row) {
        return envelope("r", null, row);
    }

    public byte[] update(Map<String, ?> before, Map<String, ?> after) {
        return envelope("u", before, after);
    }

    public byte[] delete(Map<String, ?> before) {
        return envelope("d", before, null);
    }

    /** A TRUNCATE event (no row images); capture sends it under a constant key. */
    public byte[] truncate() {
        return envelope("t", null, null);
    }

    /** The key of a row: {@code {"id": 42}}. */
    public byte[] key(Map<String, ?> row) {
        ObjectNode k = Json.MAPPER.createObjectNode();
        for (String c : key) {
            k.set(c, Json.MAPPER.valueToTree(row.get(c)));
        }
        return bytes(k);
    }

    /** The row as a typed row (the stg / mart value format) with these columns. */
    public byte[] typedRow(Map<String, ?> row) {
        return new TypedRow(columns, (ObjectNode) Json.MAPPER.valueToTree(row)).toBytes();
    }

    /** The commit time the next events carry, epoch millis. */
    public static long sourceTsMs(long lsn) {
        return 1_700_000_000_000L + lsn;
    }

    private byte[] envelope(String op, Map<String, ?> before, Map<String, ?> after) {
        long at = nextLsn[0]++;
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode schema = root.putObject("schema");
        schema.put("type", "struct");
        schema.put("name", "shop.public." + table + ".Envelope");
        schema.put("optional", false);
        ArrayNode fields = schema.putArray("fields");
        fields.add(rowSchema("before"));
        fields.add(rowSchema("after"));
        ObjectNode source = fields.addObject();
        source.put("type", "struct").put("name", "io.debezium.connector.postgresql.Source").put("optional", false).put("field", "source");
        ArrayNode sourceFields = source.putArray("fields");
        sourceFields.addObject().put("type", "int64").put("optional", false).put("field", "ts_ms");
        sourceFields.addObject().put("type", "int64").put("optional", true).put("field", "txId");
        sourceFields.addObject().put("type", "int64").put("optional", true).put("field", "lsn");
        fields.addObject().put("type", "string").put("optional", false).put("field", "op");
        fields.addObject().put("type", "int64").put("optional", true).put("field", "ts_ms");

        ObjectNode payload = root.putObject("payload");
        payload.set("before", before == null ? null : Json.MAPPER.valueToTree(before));
        payload.set("after", after == null ? null : Json.MAPPER.valueToTree(after));
        ObjectNode src = payload.putObject("source");
        src.put("version", "3.6.1.Final").put("connector", "postgresql").put("name", "shop")
                .put("ts_ms", sourceTsMs(at)).put("db", "shop").put("schema", "public").put("table", table)
                .put("txId", at / 2).put("lsn", at);
        payload.put("op", op);
        payload.put("ts_ms", sourceTsMs(at) + 5);
        return bytes(root);
    }

    private ObjectNode rowSchema(String field) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("type", "struct").put("name", "shop.public." + table + ".Value").put("optional", true).put("field", field);
        ArrayNode f = s.putArray("fields");
        for (ColumnSpec c : columns) {
            ObjectNode col = f.addObject();
            col.put("type", c.type()).put("optional", c.optional());
            if (c.logical() != null) {
                col.put("name", c.logical());
            }
            if (!c.parameters().isEmpty()) {
                ObjectNode p = col.putObject("parameters");
                c.parameters().forEach(p::put);
            }
            col.put("field", c.name());
        }
        return s;
    }

    /** A map in the given order: {@code row("id", 1, "name", "x")}; values may be null. */
    public static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
