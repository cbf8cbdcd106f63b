package io.cdcmarts.capture.signal;

import io.cdcmarts.capture.postgres.SourceDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debezium's signaling table in the source database: a row inserted into it asks the running
 * connector for an incremental snapshot of some tables, which it reads in primary-key chunks while
 * streaming goes on (Debezium writes its chunk watermarks into the same table). It lives in a schema
 * of its own, never the captured one, so its rows are not captured as a table of the shop.
 *
 * @param schema its schema (created when missing)
 * @param table  its name
 */
public record SignalTable(String schema, String table) {

    /** The schema of the default signal table. */
    public static final String DEFAULT_SCHEMA = "cdc_marts";
    /** The value of {@code --signal-table} that turns signaling off. */
    public static final String NONE = "none";

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public SignalTable {
        for (String part : new String[]{schema, table}) {
            if (part == null || !NAME.matcher(part).matches()) {
                throw new IllegalArgumentException("--signal-table: '" + part + "' is not a name capture can use"
                        + " (1-63 lower-case letters, digits or '_')");
            }
        }
    }

    /** {@code cdc_marts.signal_<prefix>}, one per capture (the prefix names slot and publication too). */
    public static SignalTable defaultFor(String topicPrefix) {
        String name = ("signal_" + topicPrefix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return new SignalTable(DEFAULT_SCHEMA, name.length() > 63 ? name.substring(0, 63) : name);
    }

    /**
     * Parses {@code --signal-table}: {@code schema.table}, or {@value #NONE} for no signaling
     * (null); blank gives the default.
     */
    public static SignalTable parse(String text, String topicPrefix) {
        if (text == null || text.isBlank()) {
            return defaultFor(topicPrefix);
        }
        String t = text.trim();
        if (t.equalsIgnoreCase(NONE)) {
            return null;
        }
        int dot = t.indexOf('.');
        if (dot <= 0 || dot != t.lastIndexOf('.')) {
            throw new IllegalArgumentException("--signal-table '" + t + "' must be schema.table (or " + NONE + ")");
        }
        return new SignalTable(t.substring(0, dot), t.substring(dot + 1));
    }

    /** The name as Debezium's {@code signal.data.collection} takes it. */
    public String qualified() {
        return schema + "." + table;
    }

    /** The name as SQL takes it. */
    public String sql() {
        return SourceDatabase.quote(schema) + "." + SourceDatabase.quote(table);
    }

    /** Creates the schema and the table when missing, in the layout Debezium requires (id, type, data). */
    public void create(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SourceDatabase.quote(schema));
            st.execute("CREATE TABLE IF NOT EXISTS " + sql()
                    + " (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048))");
        }
    }

    /**
     * Asks for an incremental snapshot of {@code tables} of {@code capturedSchema}: their rows are
     * sent again as read events ({@code op = "r"}), in chunks, interleaved with the streamed changes.
     *
     * @return the signal's id
     */
    public String requestSnapshot(Connection connection, String capturedSchema, List<String> tables) throws SQLException {
        return requestSnapshot(connection, capturedSchema, tables, "incremental");
    }

    /**
     * Asks for a blocking snapshot of {@code tables}: Debezium pauses streaming, reads each table
     * whole (structure first) as read events, and streams on from where it paused. Unlike an
     * incremental snapshot it works for a table Debezium has not seen yet: Debezium 3.6 cannot
     * dispatch the schema of an unseen table in an incremental one (null databaseName).
     *
     * @return the signal's id
     */
    public String requestBlockingSnapshot(Connection connection, String capturedSchema, List<String> tables)
            throws SQLException {
        return requestSnapshot(connection, capturedSchema, tables, "blocking");
    }

    private String requestSnapshot(Connection connection, String capturedSchema, List<String> tables, String type)
            throws SQLException {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("name at least one table to snapshot");
        }
        String collections = tables.stream().map(t -> "\"" + jsonText(capturedSchema + "." + t) + "\"")
                .collect(Collectors.joining(","));
        String id = UUID.randomUUID().toString();
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO " + sql() + " (id, type, data) VALUES (?, ?, ?)")) {
            st.setString(1, id);
            st.setString(2, "execute-snapshot");
            st.setString(3, "{\"data-collections\":[" + collections + "],\"type\":\"" + type + "\"}");
            st.executeUpdate();
        }
        return id;
    }

    private static String jsonText(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
