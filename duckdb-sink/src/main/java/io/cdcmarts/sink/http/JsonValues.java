package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;

/**
 * DuckDB values as JSON: numbers stay exact numbers (DECIMAL as written, never through a double),
 * booleans and strings as they are, lists as arrays, timestamps as ISO-8601 text, anything else
 * (JSON columns, structs, maps, blobs) as its text.
 */
final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private JsonValues() {
    }

    static JsonNode of(Object value) throws SQLException {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // JSON has no NaN or infinity
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(value.toString());
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Timestamp t) {
            // TIMESTAMP without a zone: its wall-clock value
            return NODES.textNode(t.toLocalDateTime().toString());
        }
        if (value instanceof Array a) {
            ArrayNode out = NODES.arrayNode();
            for (Object element : (Object[]) a.getArray()) {
                out.add(of(element));
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            return NODES.textNode(m.toString());
        }
        return NODES.textNode(value.toString());
    }
}
