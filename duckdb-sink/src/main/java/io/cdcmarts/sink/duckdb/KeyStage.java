package io.cdcmarts.sink.duckdb;

import io.cdcmarts.sink.batch.RowChange;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Deletes the rows of one batch's keys from one table. A key of one BIGINT or INTEGER column (every
 * table of the tutorial's schema) goes to DuckDB as one array: for up to
 * {@value #PARAMETER_KEYS_MAX} keys as the parameter of a prepared statement (planned again as the
 * table grows: {@link #REPLAN_AFTER_KEYS}), for more through a
 * one-row temporary table the Appender fills, unnested by the DELETE (the Appender's cost is mostly
 * per row, and a row per key cost a tenth of the batch path's time, {@code SinkApplyBenchmark}).
 * Any other key goes in a temporary table, a row per key. A temporary table is emptied right before
 * it is filled, in the batch's own transaction, so what it held before (a batch rolled back, or
 * one that took the parameter) can never be deleted again. It keeps its last batch's keys until
 * then: one row, or a row per key of a table with few keys.
 */
abstract sealed class KeyStage implements AutoCloseable {

    /**
     * The most keys passed as a parameter. A sink that keeps up writes a batch about every 100 ms,
     * most tables with a few to a few hundred keys, and for each the temporary table's DELETE,
     * Appender and unparsed DELETE … USING were a fixed cost: ~1.2–1.6 ms a table, some 20 ms a
     * batch, against 0.7–1.0 ms prepared with the keys as a parameter (3 and 300 keys in a 400k-row
     * table, DuckDB 1.4.4). The parameter goes through JDBC a key at a time, so a large batch is
     * faster through the Appender (50,000 keys: 22 ms against 34 ms).
     */
    static final int PARAMETER_KEYS_MAX = 1_000;

    /**
     * The prepared DELETE is planned again once this many keys have gone through the stage since it
     * was first planned, and then each time their number has doubled. DuckDB keeps the plan a
     * statement was prepared with, statistics and all: one prepared while its table was still empty
     * (a sink started on a new file, whose first batch of a table had few keys) builds the join's
     * hash table from the whole target table, so each DELETE of a few hundred keys costs a scan of
     * every row, for as long as the sink runs: 48 ms at 1 M rows against 2 ms for the plan made on
     * a table with rows in it, and already at 10 rows DuckDB plans it well (DuckDB 1.4.4, 300 keys,
     * a scratch JDBC harness; on the batch path, {@code SinkApplyBenchmark}'s small-batch row and
     * {@code KeyStageIT}). Every key deleted through the stage may have
     * been a row added, so doubling them bounds how far the table can have grown past the plan's
     * statistics with a handful of plans over a sink's life.
     */
    static final long REPLAN_AFTER_KEYS = 1_000;

    /** The array column of a one-row key table. */
    private static final String KEYS = "keys";

    final StageTable table;
    final String delete;

    private KeyStage(StageTable table, String delete) {
        this.table = table;
        this.delete = delete;
    }

    /** Creates the temporary key table of {@code shape}; DDL, so commit before the batch. */
    static KeyStage create(Connection connection, String name, TableSchema shape) throws SQLException {
        int[] keyIndexes = shape.keyIndexes();
        if (keyIndexes.length == 1) {
            TableSchema.Column key = shape.column(keyIndexes[0]);
            DuckType.Kind kind = key.type().kind();
            if (kind == DuckType.Kind.BIGINT || kind == DuckType.Kind.INTEGER) {
                DuckType list = kind == DuckType.Kind.BIGINT ? DuckType.BIGINT_LIST : DuckType.INTEGER_LIST;
                StageTable t = StageTable.create(connection, name, List.of(new TableSchema.Column(KEYS, list)));
                String target = shape.table().sql();
                String match = " AS s WHERE t." + Sql.ident(key.name()) + " = s.k";
                String delete = "DELETE FROM " + target + " AS t USING (SELECT unnest(" + Sql.ident(KEYS) + ") AS k FROM "
                        + t.sql() + ")" + match;
                String prepared = "DELETE FROM " + target + " AS t USING (SELECT unnest(?::" + list.sql() + ") AS k)" + match;
                return new OneArray(t, keyIndexes[0], kind == DuckType.Kind.BIGINT, delete, prepared);
            }
        }
        List<TableSchema.Column> columns = new ArrayList<>();
        for (int i : keyIndexes) {
            columns.add(shape.column(i));
        }
        StageTable t = StageTable.create(connection, name, columns);
        String delete = "DELETE FROM " + shape.table().sql() + " AS t USING " + t.sql() + " AS s WHERE "
                + Sql.joinOn("t", "s", shape.primaryKey());
        return new RowPerKey(t, keyIndexes, columns, delete);
    }

    /**
     * Deletes every row of the target whose key is one of the changes' (keys are unique within a
     * batch: folded). Inside the batch's transaction, which a statement has opened.
     */
    abstract void delete(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException;

    /** Fills the emptied temporary table with the changes' keys and deletes through it. */
    final void deleteThroughTable(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException {
        table.clear(connection);
        append(connection, changes);
        try (Statement st = connection.createStatement()) {
            st.execute(delete);
        }
    }

    /** Appends the key of every change. */
    abstract void append(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException;

    /** Closes the prepared statement, if one was prepared. */
    @Override
    public void close() {
    }

    /** The keys in one array: a parameter, or one row of the temporary table. */
    private static final class OneArray extends KeyStage {
        private final int keyIndex;
        private final boolean bigint;
        private final String preparedSql;
        private PreparedStatement prepared;
        /** Keys through this stage, by either path: an upper bound on the rows it added to the table. */
        private long keysSeen;
        /** {@link #keysSeen} from which the prepared DELETE is planned again ({@link #REPLAN_AFTER_KEYS}). */
        private long planAgainAt;

        private OneArray(StageTable table, int keyIndex, boolean bigint, String delete, String preparedSql) {
            super(table, delete);
            this.keyIndex = keyIndex;
            this.bigint = bigint;
            this.preparedSql = preparedSql;
        }

        @Override
        void delete(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException {
            keysSeen += changes.size();
            if (changes.size() > PARAMETER_KEYS_MAX) {
                deleteThroughTable(connection, changes); // planned anew by each execution
                return;
            }
            Object[] keys = new Object[changes.size()];
            int i = 0;
            for (RowChange c : changes) {
                // As the Appender path fails on it: a NULL element would match no row and leave the old one
                keys[i++] = Objects.requireNonNull(c.value(keyIndex), "a row without its key");
            }
            if (prepared != null && keysSeen >= planAgainAt) {
                close(); // planned on a table that may have been far smaller
            }
            if (prepared == null) {
                prepared = connection.prepareStatement(preparedSql);
                planAgainAt = Math.max(REPLAN_AFTER_KEYS, 2 * keysSeen);
            }
            try {
                prepared.setArray(1, connection.createArrayOf(bigint ? "BIGINT" : "INTEGER", keys));
                prepared.executeUpdate();
            } catch (SQLException e) {
                close(); // DuckDB's driver closes a statement whose execution failed: prepare again next time
                throw e;
            }
        }

        @Override
        void append(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException {
            try (DuckDBAppender ap = table.appender(connection)) {
                ap.beginRow();
                if (bigint) {
                    long[] keys = new long[changes.size()];
                    int i = 0;
                    for (RowChange c : changes) {
                        keys[i++] = (Long) c.value(keyIndex);
                    }
                    ap.append(keys);
                } else {
                    int[] keys = new int[changes.size()];
                    int i = 0;
                    for (RowChange c : changes) {
                        keys[i++] = (Integer) c.value(keyIndex);
                    }
                    ap.append(keys);
                }
                ap.endRow();
                Appends.flush(ap);
            }
        }

        @Override
        public void close() {
            if (prepared != null) {
                try {
                    prepared.close();
                } catch (SQLException e) {
                    // a statement of a connection that failed or closed: nothing is left to free
                }
                prepared = null;
            }
        }
    }

    /** A row per key, for keys of several columns or of other types. */
    private static final class RowPerKey extends KeyStage {
        private final int[] keyIndexes;
        private final DuckType[] types;

        private RowPerKey(StageTable table, int[] keyIndexes, List<TableSchema.Column> columns, String delete) {
            super(table, delete);
            this.keyIndexes = keyIndexes;
            this.types = columns.stream().map(TableSchema.Column::type).toArray(DuckType[]::new);
        }

        @Override
        void delete(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException {
            deleteThroughTable(connection, changes);
        }

        @Override
        void append(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException {
            try (DuckDBAppender ap = table.appender(connection)) {
                for (RowChange c : changes) {
                    ap.beginRow();
                    for (int k = 0; k < keyIndexes.length; k++) {
                        Appends.append(ap, types[k], c.value(keyIndexes[k]));
                    }
                    ap.endRow();
                }
                Appends.flush(ap);
            }
        }
    }
}
