package io.cdcmarts.sink.duckdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of one sink table as it is in DuckDB: columns in table order and the primary key.
 * Columns are only ever added at the end (ALTER TABLE ADD COLUMN), so a column's position never
 * changes and rows staged for an older shape stay valid; a column's type may change in place
 * ({@link ColumnTypes}). Immutable.
 */
public final class TableSchema {

    /** One column. */
    public record Column(String name, DuckType type) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    private final TableRef table;
    private final List<Column> columns;
    private final List<String> primaryKey;
    private final Map<String, Integer> positions = new HashMap<>();
    private final int[] keyIndexes;

    /**
     * @param table      where the table lives
     * @param columns    every column, in table order
     * @param primaryKey the key columns, in key order; each must be one of {@code columns}
     */
    public TableSchema(TableRef table, List<Column> columns, List<String> primaryKey) {
        this.table = Objects.requireNonNull(table, "table");
        this.columns = List.copyOf(columns);
        this.primaryKey = List.copyOf(primaryKey);
        for (int i = 0; i < this.columns.size(); i++) {
            positions.put(this.columns.get(i).name(), i);
        }
        keyIndexes = new int[this.primaryKey.size()];
        for (int i = 0; i < keyIndexes.length; i++) {
            Integer p = positions.get(this.primaryKey.get(i));
            if (p == null) {
                throw new IllegalArgumentException("key column '" + this.primaryKey.get(i) + "' is not a column of " + table);
            }
            keyIndexes[i] = p;
        }
    }

    public TableRef table() {
        return table;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    public int size() {
        return columns.size();
    }

    /** The column's position, or -1. */
    public int indexOf(String column) {
        Integer p = positions.get(column);
        return p == null ? -1 : p;
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** Positions of the primary key columns, in key order. */
    public int[] keyIndexes() {
        return keyIndexes.clone();
    }

    public boolean isKey(int index) {
        for (int k : keyIndexes) {
            if (k == index) {
                return true;
            }
        }
        return false;
    }

    /** This table with {@code added} appended. */
    public TableSchema plus(List<Column> added) {
        List<Column> all = new ArrayList<>(columns);
        all.addAll(added);
        return new TableSchema(table, all, primaryKey);
    }

    /** This table with the column {@code name} of type {@code type}, in the same place. */
    public TableSchema withType(String name, DuckType type) {
        int at = indexOf(name);
        if (at < 0) {
            throw new IllegalArgumentException("'" + name + "' is not a column of " + table);
        }
        List<Column> all = new ArrayList<>(columns);
        all.set(at, new Column(name, type));
        return new TableSchema(table, all, primaryKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSchema t && t.table.equals(table) && t.columns.equals(columns) && t.primaryKey.equals(primaryKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, columns, primaryKey);
    }

    @Override
    public String toString() {
        return table + columns.toString() + " key " + primaryKey;
    }
}
