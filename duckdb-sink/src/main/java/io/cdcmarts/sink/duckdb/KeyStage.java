package io.cdcmarts.sink.duckdb;

import io.cdcmarts.sink.batch.RowChange;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The keys of one batch for one table, in a temporary table that the batch's one {@code DELETE …
 * USING} reads. A key of one BIGINT or INTEGER column (every table of the tutorial's schema) goes
 * in as one array in one row, unnested by the DELETE: the Appender's cost is mostly per row, and a
 * row per key cost a tenth of the batch path's time ({@code SinkApplyBenchmark}). Any other key
 * goes in a row per key.
 */
abstract sealed class KeyStage {

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
                String delete = "DELETE FROM " + shape.table().sql() + " AS t USING (SELECT unnest(" + Sql.ident(KEYS) + ") AS k FROM "
                        + t.sql() + ") AS s WHERE t." + Sql.ident(key.name()) + " = s.k";
                return new OneArray(t, keyIndexes[0], kind == DuckType.Kind.BIGINT, delete);
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

    /** The first statement of a batch may be this: it empties the table of the batch before. */
    void clear(Connection connection) throws SQLException {
        table.clear(connection);
    }

    /** Appends the key of every change; keys are unique within a batch (folded). */
    abstract void append(DuckDBConnection connection, Collection<RowChange> changes) throws SQLException;

    /** Deletes every row of the target whose key is in the table. */
    String delete() {
        return delete;
    }

    /** One row holding every key in one array. */
    private static final class OneArray extends KeyStage {
        private final int keyIndex;
        private final boolean bigint;

        private OneArray(StageTable table, int keyIndex, boolean bigint, String delete) {
            super(table, delete);
            this.keyIndex = keyIndex;
            this.bigint = bigint;
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
