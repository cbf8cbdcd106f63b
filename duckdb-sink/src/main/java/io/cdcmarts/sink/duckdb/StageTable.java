package io.cdcmarts.sink.duckdb;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A connection-local temporary table the Appender fills with one batch's rows for one target,
 * from which one set-based statement upserts and one deletes. Temporary tables live in DuckDB's
 * {@code temp} catalog: nothing of them reaches the database file.
 */
final class StageTable {

    private static final String CATALOG = "temp";
    private static final String SCHEMA = "main";

    private final String name;
    private final List<TableSchema.Column> columns;

    private StageTable(String name, List<TableSchema.Column> columns) {
        this.name = name;
        this.columns = List.copyOf(columns);
    }

    /** Creates (or re-creates, for a new shape) the temporary table; DDL, so commit before the batch. */
    static StageTable create(Connection connection, String name, List<TableSchema.Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TEMP TABLE ").append(Sql.ident(name)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            TableSchema.Column c = columns.get(i);
            ddl.append(i == 0 ? "" : ", ").append(Sql.ident(c.name())).append(' ').append(c.type().sql());
        }
        ddl.append(')');
        try (Statement st = connection.createStatement()) {
            st.execute(ddl.toString());
        }
        return new StageTable(name, columns);
    }

    List<TableSchema.Column> columns() {
        return columns;
    }

    /** The qualified name for SQL. */
    String sql() {
        return CATALOG + "." + SCHEMA + "." + Sql.ident(name);
    }

    void clear(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("DELETE FROM " + sql());
        }
    }

    DuckDBAppender appender(DuckDBConnection connection) throws SQLException {
        return connection.createAppender(CATALOG, SCHEMA, name);
    }
}
