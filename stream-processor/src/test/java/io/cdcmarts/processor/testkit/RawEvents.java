package io.cdcmarts.processor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Builds raw topic messages exactly as the capture writes them: the key {@code {"id":N}} and the
 * Debezium Postgres change event through the JSON converter with schemas (decimals as exact numbers,
 * TIMESTAMPTZ as ZonedTimestamp text), with the seed schema's column types. Written from the
 * Debezium event format, independently of the processor's rules.
 */
public final class RawEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private record Col(String name, String type, String logical, Integer scale, Integer precision, boolean optional) {
    }

    private static Col int64(String name, boolean optional) {
        return new Col(name, "int64", null, null, null, optional);
    }

    private static Col int32(String name) {
        return new Col(name, "int32", null, null, null, false);
    }

    private static Col text(String name, boolean optional) {
        return new Col(name, "string", null, null, null, optional);
    }

    private static Col tstz(String name) {
        return new Col(name, "string", "io.debezium.time.ZonedTimestamp", null, null, false);
    }

    private static Col numeric(String name, int precision, int scale, boolean optional) {
        return new Col(name, "bytes", "org.apache.kafka.connect.data.Decimal", scale, precision, optional);
    }

    private static final Map<String, List<Col>> TABLES = Map.of(
            "customers", List.of(int64("id", false), text("full_name", false), text("email", false), text("country", false),
                    int32("age"), tstz("created_at"), tstz("updated_at")),
            "products", List.of(int64("id", false), text("name", false), text("category", false), text("sku", false),
                    tstz("created_at"), tstz("updated_at")),
            "product_variants", List.of(int64("id", false), int64("product_id", false), text("variant_sku", false),
                    text("color", true), text("size", true), numeric("manufacturing_price", 10, 2, false),
                    numeric("selling_price", 10, 2, false), int32("stock_quantity"),
                    new Col("is_active", "boolean", null, null, null, false), tstz("created_at"), tstz("updated_at")),
            "orders", List.of(int64("id", false), int64("customer_id", false), tstz("order_date"), text("status", false),
                    numeric("total_amount", 12, 2, true), tstz("created_at"), tstz("updated_at")),
            "order_items", List.of(int64("id", false), int64("order_id", false), int64("variant_id", false), int32("quantity"),
                    numeric("unit_price", 10, 2, false), numeric("total_price", 12, 2, true), tstz("created_at")));

    private RawEvents() {
    }

    public static byte[] key(long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A change event; {@code op} c, u, r (after given) or d (before given). */
    public static byte[] event(String table, String op, Row before, Row after, long lsn, long sourceTsMs) {
        ObjectNode root = NODES.objectNode();
        root.set("schema", envelopeSchema(table));
        root.set("payload", payloadNode(table, op, before, after, lsn, sourceTsMs));
        return bytes(root);
    }

    /**
     * The lean form's value of {@link #event}: the payload alone, as capture writes it with the JSON
     * converter's schemas off (its schema named by a header, {@link #schema}).
     */
    public static byte[] payload(String table, String op, Row before, Row after, long lsn, long sourceTsMs) {
        return bytes(payloadNode(table, op, before, after, lsn, sourceTsMs));
    }

    /** The envelope schema of a table's events, as its entry of {@code <prefix>.schemas} holds it. */
    public static byte[] schema(String table) {
        return bytes(envelopeSchema(table));
    }

    private static ObjectNode payloadNode(String table, String op, Row before, Row after, long lsn, long sourceTsMs) {
        ObjectNode payload = NODES.objectNode();
        payload.set("before", before == null ? NODES.nullNode() : image(table, before));
        payload.set("after", after == null ? NODES.nullNode() : image(table, after));
        ObjectNode source = payload.putObject("source");
        source.put("version", "3.6.1.Final");
        source.put("connector", "postgresql");
        source.put("name", "shop");
        source.put("ts_ms", sourceTsMs);
        source.put("snapshot", "r".equals(op) ? "true" : "false");
        source.put("db", "shop");
        source.put("sequence", "[null,\"" + lsn + "\"]");
        source.put("ts_us", sourceTsMs * 1000);
        source.put("ts_ns", sourceTsMs * 1_000_000);
        source.put("schema", "public");
        source.put("table", table);
        source.put("txId", 1000 + lsn / 100);
        source.put("lsn", lsn);
        source.putNull("xmin");
        payload.putNull("transaction");
        payload.put("op", op);
        payload.put("ts_ms", sourceTsMs + 5);
        return payload;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode image(String table, Row row) {
        ObjectNode image = NODES.objectNode();
        for (Col col : columns(table)) {
            Object v = row.values().containsKey(col.name()) ? row.get(col.name()) : null;
            image.set(col.name(), toJson(v));
        }
        // columns a test adds beyond the seed schema travel too (a column added at the source)
        row.values().forEach((k, v) -> {
            if (!image.has(k)) {
                image.set(k, toJson(v));
            }
        });
        return image;
    }

    static JsonNode toJson(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof JsonNode node) {
            return node;
        }
        if (v instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.textNode(v.toString());
    }

    private static List<Col> columns(String table) {
        List<Col> cols = TABLES.get(table);
        if (cols == null) {
            throw new IllegalArgumentException("unknown table " + table);
        }
        return cols;
    }

    private static ObjectNode envelopeSchema(String table) {
        String valueName = "shop.public." + table + ".Value";
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "struct");
        ArrayNode fields = schema.putArray("fields");
        fields.add(rowSchema(table, valueName, "before"));
        fields.add(rowSchema(table, valueName, "after"));
        ObjectNode source = fields.addObject();
        source.put("type", "struct");
        ArrayNode sf = source.putArray("fields");
        simple(sf, "string", false, "version");
        simple(sf, "string", false, "connector");
        simple(sf, "string", false, "name");
        simple(sf, "int64", false, "ts_ms");
        ObjectNode snapshot = simple(sf, "string", true, "snapshot");
        snapshot.put("name", "io.debezium.data.Enum");
        snapshot.put("version", 1);
        snapshot.putObject("parameters").put("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental");
        snapshot.put("default", "false");
        simple(sf, "string", false, "db");
        simple(sf, "string", true, "sequence");
        simple(sf, "int64", true, "ts_us");
        simple(sf, "int64", true, "ts_ns");
        simple(sf, "string", false, "schema");
        simple(sf, "string", false, "table");
        simple(sf, "int64", true, "txId");
        simple(sf, "int64", true, "lsn");
        simple(sf, "int64", true, "xmin");
        source.put("optional", false);
        source.put("name", "io.debezium.connector.postgresql.Source");
        source.put("field", "source");
        ObjectNode tx = fields.addObject();
        tx.put("type", "struct");
        ArrayNode tf = tx.putArray("fields");
        simple(tf, "string", false, "id");
        simple(tf, "int64", false, "total_order");
        simple(tf, "int64", false, "data_collection_order");
        tx.put("optional", true);
        tx.put("name", "event.block");
        tx.put("version", 1);
        tx.put("field", "transaction");
        simple(fields, "string", false, "op");
        simple(fields, "int64", true, "ts_ms");
        simple(fields, "int64", true, "ts_us");
        simple(fields, "int64", true, "ts_ns");
        schema.put("optional", false);
        schema.put("name", "shop.public." + table + ".Envelope");
        schema.put("version", 2);
        return schema;
    }

    private static ObjectNode rowSchema(String table, String name, String field) {
        ObjectNode s = NODES.objectNode();
        s.put("type", "struct");
        ArrayNode fields = s.putArray("fields");
        for (Col col : columns(table)) {
            ObjectNode f = fields.addObject();
            f.put("type", col.type());
            f.put("optional", col.optional());
            if (col.logical() != null) {
                f.put("name", col.logical());
                f.put("version", 1);
            }
            if (col.scale() != null) {
                ObjectNode params = f.putObject("parameters");
                params.put("scale", col.scale().toString());
                params.put("connect.decimal.precision", col.precision().toString());
            }
            f.put("field", col.name());
        }
        s.put("optional", true);
        s.put("name", name);
        s.put("field", field);
        return s;
    }

    private static ObjectNode simple(ArrayNode fields, String type, boolean optional, String field) {
        ObjectNode f = fields.addObject();
        f.put("type", type);
        f.put("optional", optional);
        f.put("field", field);
        return f;
    }
}
