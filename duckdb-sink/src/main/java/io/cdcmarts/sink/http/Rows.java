package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** Our own fixed queries for the status and the dashboard, as JSON rows. */
final class Rows {

    private Rows() {
    }

    /** Each row as an object of column → value. */
    static ArrayNode query(Connection c, String sql) throws SQLException {
        ArrayNode out = Json.MAPPER.createArrayNode();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                ObjectNode row = out.addObject();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.set(md.getColumnLabel(i), JsonValues.of(rs.getObject(i)));
                }
            }
        }
        return out;
    }

    /** The first column of the first row as a long (0 when there is no row or it is NULL). */
    static long scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** {@code schema.table} of every table in the sink's file: a mart appears once its first row arrives. */
    static Set<String> tables(Connection c) throws SQLException {
        return names(c, "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()");
    }

    /** {@link #tables} and the views ({@code mart.top_skus} is one, created with its variant mart). */
    static Set<String> tablesAndViews(Connection c) throws SQLException {
        Set<String> out = tables(c);
        out.addAll(names(c, "SELECT schema_name, view_name FROM duckdb_views() "
                + "WHERE database_name = current_database() AND NOT internal"));
        return out;
    }

    private static Set<String> names(Connection c, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "." + rs.getString(2));
            }
        }
        return out;
    }
}
