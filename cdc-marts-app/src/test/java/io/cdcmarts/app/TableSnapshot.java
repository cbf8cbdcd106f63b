package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's rows as comparable text, so a PostgreSQL table and its DuckDB copy can be compared
 * column by column: decimals by exact value, timestamps by instant, integers by value.
 */
final class TableSnapshot {

    private TableSnapshot() {
    }

    /** Column names of a PostgreSQL table, in table order. */
    static List<String> pgColumns(PgDsn dsn, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                     + " AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    static List<Map<String, String>> postgres(PgDsn dsn, String table, List<String> columns) throws SQLException {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties())) {
            return rows(c, "SELECT " + String.join(", ", columns) + " FROM public." + table + " ORDER BY id");
        }
    }

    /** Column names of a DuckDB table; empty when the table does not exist yet. */
    static List<String> duckdbColumns(Connection c, String schema, String table) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
                     + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Column names and types of a DuckDB table or view, in table order (DECIMAL with its precision and scale). */
    static Map<String, String> duckdbColumnTypes(Connection c, String schema, String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows(c, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '"
                + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            out.put(row.get("column_name"), row.get("data_type"));
        }
        return out;
    }

    static List<Map<String, String>> duckdb(Connection c, String qualifiedTable, List<String> columns) throws SQLException {
        return rows(c, "SELECT " + String.join(", ", columns) + " FROM " + qualifiedTable + " ORDER BY id");
    }

    static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(), text(rs.getObject(i)));
                }
                out.add(row);
            }
        }
        return out;
    }

    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger) {
            return v.toString();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof ZonedDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof Instant t) {
            return t.toString();
        }
        return v.toString();
    }
}
