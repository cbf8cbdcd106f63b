package io.cdcmarts.sink.duckdb;

import io.cdcmarts.sink.verify.BatchMarts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Tables} on a DuckDB connection: reads the catalog once per table, then keeps the shape in
 * memory (the sink is the file's only writer). Every DDL statement commits on its own, before the
 * batch's data transaction begins: a created table or an added (nullable) column is harmless when
 * the batch that needed it rolls back, and DuckDB does not mix ALTER with uncommitted rows well.
 *
 * <p>Data tables are created without a declared PRIMARY KEY, their key recorded in
 * {@code _cdc.table_keys} ({@link Layout#TABLE_KEYS} says why); a table with a declared one (the
 * sink's own, or one an earlier version created) keeps it and works the same.
 */
public final class DuckDbTables implements Tables {

    private static final Logger LOG = LoggerFactory.getLogger(DuckDbTables.class);

    private final Connection connection;
    private final Map<TableRef, Optional<TableSchema>> cache = new HashMap<>();

    /** @param connection the sink's connection, autocommit off */
    public DuckDbTables(Connection connection) {
        this.connection = connection;
    }

    /**
     * DuckDB writes committed changes into the file (a checkpoint) once its write-ahead log passes
     * this size. The default, 16 MB, is a few batches of the sink: every few batches it rewrote the
     * row groups they touched, and deleting from freshly checkpointed data costs more than from the
     * log. 256 MB checkpoints an order of magnitude less often; the price is up to that much log to
     * replay when the file is opened after a crash (seconds), and a clean stop checkpoints anyway.
     */
    static final String CHECKPOINT_THRESHOLD = "256MB";

    /**
     * Creates the schemas and the sink's own tables when they are missing, and sets the sink's
     * checkpoint threshold ({@link #CHECKPOINT_THRESHOLD}) for this database.
     */
    public void createLayout() {
        try (Statement st = connection.createStatement()) {
            st.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
            for (String schema : Layout.SCHEMAS) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema));
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + Layout.TABLE_KEYS.sql()
                    + " (schema_name VARCHAR, table_name VARCHAR, key_columns VARCHAR[], PRIMARY KEY (schema_name, table_name))");
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot create the sink's schemas", e);
        }
        ensure(Layout.OFFSETS, Layout.OFFSETS_SCHEMA.columns(), Layout.OFFSETS_SCHEMA.primaryKey());
        ensure(Layout.DEAD_LETTERS, Layout.DEAD_LETTERS_SCHEMA.columns(), Layout.DEAD_LETTERS_SCHEMA.primaryKey());
    }

    @Override
    public Optional<TableSchema> find(TableRef table) {
        Optional<TableSchema> known = cache.get(table);
        if (known == null) {
            try {
                known = load(table);
                connection.commit();
            } catch (SQLException e) {
                throw failure("cannot read the catalog of " + table, e);
            }
            cache.put(table, known);
        }
        return known;
    }

    private static final TableRef TOP_SKUS_SOURCE = new TableRef(TableRef.MART, "revenue_by_product_variant");

    @Override
    public TableSchema ensure(TableRef table, List<TableSchema.Column> columns, List<String> primaryKey) {
        Optional<TableSchema> existing = find(table);
        try (Statement st = connection.createStatement()) {
            TableSchema now;
            if (existing.isEmpty()) {
                now = new TableSchema(table, columns, primaryKey);
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table.sql()).append(" (");
                for (TableSchema.Column c : columns) {
                    ddl.append(Sql.ident(c.name())).append(' ').append(c.type().sql()).append(", ");
                }
                if (Layout.declaresPrimaryKey(table)) {
                    ddl.append("PRIMARY KEY (").append(Sql.idents(primaryKey)).append("))");
                    st.execute(ddl.toString());
                } else {
                    ddl.setLength(ddl.length() - 2);
                    st.execute(ddl.append(')').toString());
                    recordKey(table, primaryKey);
                }
                LOG.info("Created table {} {} with key {}", table, describe(columns), primaryKey);
                if (TOP_SKUS_SOURCE.equals(table)) {
                    // mart.top_skus ranks the whole variant mart, so it is a view over it (exact at every instant).
                    st.execute(BatchMarts.TOP_SKUS_VIEW);
                    LOG.info("Created view mart.top_skus over {}", table);
                }
            } else {
                List<TableSchema.Column> added = new ArrayList<>();
                for (TableSchema.Column c : columns) {
                    if (existing.get().indexOf(c.name()) < 0 && added.stream().noneMatch(a -> a.name().equals(c.name()))) {
                        added.add(c);
                    }
                }
                if (added.isEmpty()) {
                    return existing.get();
                }
                for (TableSchema.Column c : added) {
                    st.execute("ALTER TABLE " + table.sql() + " ADD COLUMN IF NOT EXISTS " + Sql.ident(c.name()) + " " + c.type().sql());
                }
                now = existing.get().plus(added);
                LOG.info("Added columns {} to table {}", describe(added), table);
            }
            connection.commit();
            cache.put(table, Optional.of(now));
            return now;
        } catch (SQLException e) {
            rollbackQuietly(e);
            cache.remove(table);
            throw failure("cannot create or alter table " + table, e);
        }
    }

    @Override
    public TableSchema retype(TableRef table, String column, DuckType type, boolean emptied) {
        TableSchema existing = find(table).orElseThrow(() -> new IllegalStateException("table " + table + " does not exist"));
        DuckType before = existing.column(existing.indexOf(column)).type();
        // No DELETE here for an emptied table: DuckDB refuses to commit a DELETE and an ALTER of one
        // table in one transaction, and the batch empties it in its own transaction, in order.
        try (Statement st = connection.createStatement()) {
            String c = Sql.ident(column);
            st.execute("ALTER TABLE " + table.sql() + " ALTER COLUMN " + c + " TYPE " + type.sql()
                    + " USING TRY_CAST(" + c + " AS " + type.sql() + ")");
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            // DuckDB refuses it on a column with a declared key (files of earlier versions): values
            // that do not fit the old type stay dead letters, as before.
            LOG.warn("Cannot change column {} of {} from {} to {} ({}); values that do not fit {} become dead letters",
                    column, table, before.sql(), type.sql(), e.getMessage(), before.sql());
            return existing;
        }
        TableSchema now = existing.withType(column, type);
        cache.put(table, Optional.of(now));
        LOG.info("Changed column {} of {} from {} to {}{}", column, table, before.sql(), type.sql(),
                emptied ? "; the batch empties the table: its key's values do not carry over, the source sends it again" : "");
        return now;
    }

    @Override
    public void drop(TableRef table) {
        try (Statement st = connection.createStatement();
             PreparedStatement key = connection.prepareStatement("DELETE FROM " + Layout.TABLE_KEYS.sql()
                     + " WHERE schema_name = ? AND table_name = ?")) {
            st.execute("DROP TABLE IF EXISTS " + table.sql());
            key.setString(1, table.schema());
            key.setString(2, table.name());
            key.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            cache.remove(table);
            throw failure("cannot drop table " + table, e);
        }
        cache.put(table, Optional.empty());
        LOG.info("Dropped table {}: it was dropped at the source", table);
    }

    /** In the transaction that creates the table: its key, in {@code _cdc.table_keys}. */
    private void recordKey(TableRef table, List<String> primaryKey) throws SQLException {
        String list = String.join(", ", Collections.nCopies(primaryKey.size(), "?"));
        try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO " + Layout.TABLE_KEYS.sql()
                + " VALUES (?, ?, [" + list + "]::VARCHAR[])")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            for (int i = 0; i < primaryKey.size(); i++) {
                ps.setString(3 + i, primaryKey.get(i));
            }
            ps.executeUpdate();
        }
    }

    /** Forgets every cached shape, after a failed batch: the catalog is read again. */
    public void invalidate() {
        cache.clear();
    }

    private Optional<TableSchema> load(TableRef table) throws SQLException {
        List<TableSchema.Column> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
                        + "AND schema_name = ? AND table_name = ? ORDER BY column_index")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new TableSchema.Column(rs.getString(1), DuckType.parse(rs.getString(2))));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<String> key = recordedKey(table);
        if (key.isEmpty()) {
            // A table created with a declared PRIMARY KEY (the sink's own, or by an earlier version).
            key = keyColumns("SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = current_database() "
                    + "AND schema_name = ? AND table_name = ? AND constraint_type = 'PRIMARY KEY'", table);
        }
        if (key.isEmpty()) {
            throw new IllegalStateException("table " + table + " exists without a key (in " + Layout.TABLE_KEYS + " or a PRIMARY KEY): it was not created by the sink;"
                    + " drop it or use another DuckDB file");
        }
        return Optional.of(new TableSchema(table, columns, key));
    }

    private List<String> recordedKey(TableRef table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM duckdb_tables() "
                + "WHERE database_name = current_database() AND schema_name = ? AND table_name = ?")) {
            ps.setString(1, Layout.TABLE_KEYS.schema());
            ps.setString(2, Layout.TABLE_KEYS.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) == 0) {
                    return List.of(); // a file of an earlier version, opened read-only
                }
            }
        }
        return keyColumns("SELECT key_columns FROM " + Layout.TABLE_KEYS.sql() + " WHERE schema_name = ? AND table_name = ?", table);
    }

    /** The list in the first column of the query's first row, bound with the table's schema and name. */
    private List<String> keyColumns(String query, TableRef table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Array names = rs.getArray(1);
                    for (Object n : (Object[]) names.getArray()) {
                        key.add(String.valueOf(n));
                    }
                }
            }
        }
        return key;
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String describe(List<TableSchema.Column> columns) {
        StringBuilder sb = new StringBuilder("(");
        for (TableSchema.Column c : columns) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(c.name()).append(' ').append(c.type().sql());
        }
        return sb.append(')').toString();
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
