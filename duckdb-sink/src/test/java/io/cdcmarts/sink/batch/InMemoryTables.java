package io.cdcmarts.sink.batch;

import io.cdcmarts.sink.duckdb.DuckType;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.Tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Tables} in memory, recording every create and widen, for tests without DuckDB. */
final class InMemoryTables implements Tables {

    final Map<TableRef, TableSchema> tables = new LinkedHashMap<>();
    final List<String> ddl = new ArrayList<>();

    @Override
    public Optional<TableSchema> find(TableRef table) {
        return Optional.ofNullable(tables.get(table));
    }

    @Override
    public TableSchema ensure(TableRef table, List<TableSchema.Column> columns, List<String> primaryKey) {
        TableSchema existing = tables.get(table);
        if (existing == null) {
            TableSchema created = new TableSchema(table, columns, primaryKey);
            tables.put(table, created);
            ddl.add("create " + table);
            return created;
        }
        List<TableSchema.Column> added = columns.stream().filter(c -> existing.indexOf(c.name()) < 0).toList();
        TableSchema widened = existing.plus(added);
        tables.put(table, widened);
        ddl.add("add " + added.stream().map(TableSchema.Column::name).toList() + " to " + table);
        return widened;
    }

    @Override
    public TableSchema retype(TableRef table, String column, DuckType type, boolean emptied) {
        TableSchema now = tables.get(table).withType(column, type);
        tables.put(table, now);
        ddl.add("retype " + column + " of " + table + " to " + type.sql() + (emptied ? ", emptied" : ""));
        return now;
    }

    @Override
    public void drop(TableRef table) {
        tables.remove(table);
        ddl.add("drop " + table);
    }
}
