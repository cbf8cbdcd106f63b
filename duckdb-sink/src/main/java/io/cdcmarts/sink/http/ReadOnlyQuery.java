package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one user query on DuckDB without letting it change anything or hold the sink up.
 *
 * <p>Read-only is enforced in layers, each enough on its own for what it covers:
 * <ol>
 *   <li>DuckDB's own parser ({@code json_serialize_sql}) must see exactly one statement, and a
 *       SELECT (this admits {@code WITH}, {@code FROM t}, {@code DESCRIBE}, {@code SHOW},
 *       {@code SUMMARIZE}; it refuses INSERT/UPDATE/DELETE/DDL, COPY, ATTACH, SET, PRAGMA, CALL,
 *       INSTALL/LOAD, CHECKPOINT, EXPLAIN). Nothing runs before this check: the JDBC driver would
 *       execute all but the last of several statements while preparing them.</li>
 *   <li>The prepared statement must return a result set ({@link StatementReturnType#QUERY_RESULT}).</li>
 *   <li>It runs inside {@code BEGIN TRANSACTION READ ONLY}, rolled back afterwards, on a connection
 *       of its own: DuckDB refuses any write in it.</li>
 *   <li>{@link #lockDown} switches off DuckDB's external access for the whole database, so a SELECT
 *       cannot read files or URLs either ({@code read_csv('/etc/passwd')}, {@code 'file.parquet'}).</li>
 * </ol>
 * A query is cut off after {@code timeout} and returns at most {@code maxRows} rows (then
 * {@code truncated} is true): the limit is applied inside DuckDB, so a huge result is never built.
 */
public final class ReadOnlyQuery {

    /** {@code --query-timeout} / CDC_QUERY_TIMEOUT default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** {@code --query-max-rows} / CDC_QUERY_MAX_ROWS default. */
    public static final int DEFAULT_MAX_ROWS = 10_000;

    private final Duration timeout;
    private final int maxRows;

    public ReadOnlyQuery(Duration timeout, int maxRows) {
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--query-timeout must be at least 1s, got " + timeout);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("--query-max-rows must be at least 1, got " + maxRows);
        }
        this.timeout = timeout;
        this.maxRows = maxRows;
    }

    /**
     * Switches off file and network access for every connection of this database (the sink
     * itself needs none), so no query can read or write outside it. DuckDB lets this be turned off
     * while running, never back on.
     */
    public static void lockDown(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET GLOBAL enable_external_access = false");
        }
    }

    /**
     * Runs {@code sql} read-only.
     *
     * @throws QueryRefusedException when it is not one read-only statement, is not valid, fails, or times out
     * @throws SQLException          when the connection itself fails
     */
    public QueryResult run(Connection connection, String sql) throws SQLException {
        String query = singleSelect(connection, sql);
        long start = System.nanoTime();
        try (Statement tx = connection.createStatement()) {
            tx.execute("BEGIN TRANSACTION READ ONLY");
            try {
                return fetch(connection, query, start);
            } finally {
                tx.execute("ROLLBACK");
            }
        }
    }

    private QueryResult fetch(Connection connection, String query, long start) throws SQLException {
        // one row more than the limit tells us whether there were more
        String limited = "SELECT * FROM (\n" + query + "\n) AS q LIMIT " + (maxRows + 1L);
        try (PreparedStatement ps = connection.prepareStatement(limited)) {
            if (ps.getMetaData() instanceof DuckDBResultSetMetaData meta && meta.getReturnType() != StatementReturnType.QUERY_RESULT) {
                throw new QueryRefusedException("only queries that return rows are allowed");
            }
            ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<QueryResult.Column> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(new QueryResult.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
                }
                List<List<JsonNode>> rows = new ArrayList<>();
                boolean truncated = false;
                while (rs.next()) {
                    if (rows.size() == maxRows) {
                        truncated = true;
                        break;
                    }
                    List<JsonNode> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(JsonValues.of(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return new QueryResult(columns, rows, truncated, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (SQLException e) {
            throw refusal(e);
        }
    }

    private QueryRefusedException refusal(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("interrupt")) {
            return new QueryRefusedException("the query was cancelled after " + timeout.toSeconds()
                    + "s (--query-timeout); narrow it down or aggregate", e);
        }
        return new QueryRefusedException("the query failed: " + message.strip(), e);
    }

    /**
     * The statement without trailing semicolons, once DuckDB's parser confirmed it is exactly one SELECT.
     *
     * @throws QueryRefusedException otherwise, saying why
     */
    static String singleSelect(Connection connection, String sql) throws SQLException {
        if (sql == null || sql.isBlank()) {
            throw new QueryRefusedException("no SQL given");
        }
        JsonNode parsed;
        try (PreparedStatement ps = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                parsed = Json.MAPPER.readTree(rs.getString(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("DuckDB's parser gave no JSON: " + e.getMessage(), e);
            }
        }
        if (parsed.path("error").asBoolean()) {
            String type = parsed.path("error_type").asText();
            if ("parser".equals(type)) {
                throw new QueryRefusedException("not valid SQL: " + parsed.path("error_message").asText());
            }
            throw new QueryRefusedException("only read-only queries are allowed (SELECT, WITH … SELECT, FROM, "
                    + "DESCRIBE, SHOW, SUMMARIZE); this is not one");
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw new QueryRefusedException("exactly one statement is allowed, got " + statements);
        }
        String trimmed = sql.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }
}
