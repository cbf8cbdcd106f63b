package io.cdcmarts.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.PgDsn;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table's rows in a comparable form, read from PostgreSQL or from a folded raw topic: decimals
 * by exact value (scale-insensitive), timestamps as instants, integers as longs, keyed by the
 * primary-key columns.
 */
final class PgRows {

    private PgRows() {
    }

    /** The table as PostgreSQL has it: key → column → value. */
    static Map<String, Map<String, Object>> fromPostgres(PgDsn dsn, String table, List<String> keyColumns) {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new TreeMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String type = md.getColumnTypeName(i);
                    Object v = switch (type) {
                        case "numeric" -> normalize(rs.getBigDecimal(i));
                        case "timestamptz" -> {
                            OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                            yield t == null ? null : t.toInstant();
                        }
                        case "int2", "int4", "int8", "bigserial", "serial" -> {
                            long n = rs.getLong(i);
                            yield rs.wasNull() ? null : n;
                        }
                        default -> rs.getObject(i);
                    };
                    row.put(md.getColumnName(i), v);
                }
                rows.put(key(row, keyColumns), row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** Column types of a table, by name. */
    static Map<String, String> types(PgDsn dsn, String table) {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE false")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                types.put(md.getColumnName(i), md.getColumnTypeName(i));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    /** A folded topic in the same form, for the columns PostgreSQL has (missing in the event = NULL). */
    static Map<String, Map<String, Object>> fromFolded(Map<JsonNode, ObjectNode> folded, Map<String, String> types,
                                                       List<String> keyColumns) {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        for (ObjectNode json : folded.values()) {
            Map<String, Object> row = new TreeMap<>();
            for (Map.Entry<String, String> col : types.entrySet()) {
                JsonNode v = json.get(col.getKey());
                Object value;
                if (v == null || v.isNull()) {
                    value = null;
                } else {
                    value = switch (col.getValue()) {
                        case "numeric" -> normalize(v.decimalValue());
                        case "timestamptz" -> Instant.parse(v.asText());
                        case "int2", "int4", "int8", "bigserial", "serial" -> v.asLong();
                        case "bool" -> v.asBoolean();
                        default -> v.asText();
                    };
                }
                row.put(col.getKey(), value);
            }
            rows.put(key(row, keyColumns), row);
        }
        return rows;
    }

    private static BigDecimal normalize(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros();
    }

    private static String key(Map<String, Object> row, List<String> keyColumns) {
        List<String> parts = new ArrayList<>();
        for (String k : keyColumns) {
            Object v = row.get(k);
            parts.add(k + "=" + (v instanceof Number n ? String.format("%08d", n.longValue()) : v));
        }
        return String.join(",", parts);
    }

    static Map<String, Object> copy(Map<String, Object> row) {
        return new HashMap<>(row);
    }
}
