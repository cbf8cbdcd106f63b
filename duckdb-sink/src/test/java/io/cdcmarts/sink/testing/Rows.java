package io.cdcmarts.sink.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads query results as plain Java values for assertions (instants for TIMESTAMPTZ, text for JSON). */
public final class Rows {

    private Rows() {
    }

    public static List<Map<String, Object>> query(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), value(rs, i, md.getColumnTypeName(i)));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public static Object scalar(Connection c, String sql, Object... params) {
        List<Map<String, Object>> rows = query(c, sql, params);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    public static long count(Connection c, String table) {
        return ((Number) scalar(c, "SELECT count(*) FROM " + table)).longValue();
    }

    private static Object value(ResultSet rs, int i, String type) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if ("JSON".equals(type)) {
            return rs.getString(i);
        }
        if (v instanceof java.sql.Array a) {
            return List.of((Object[]) a.getArray());
        }
        if (type.equals("BLOB")) {
            return rs.getBytes(i);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        return v;
    }
}
