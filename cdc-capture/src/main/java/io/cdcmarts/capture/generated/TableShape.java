package io.cdcmarts.capture.generated;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A captured table's columns in catalog order, with their types and generation expressions.
 *
 * @param table   the table name (without schema)
 * @param columns every live column, by attnum
 */
public record TableShape(String table, List<ColumnInfo> columns) {

    public TableShape {
        columns = List.copyOf(columns);
    }

    public Map<String, PgType> types() {
        return columns.stream().collect(Collectors.toMap(ColumnInfo::name, ColumnInfo::type, (a, b) -> a));
    }

    public Map<String, ColumnInfo> byName() {
        return columns.stream().collect(Collectors.toMap(ColumnInfo::name, Function.identity(), (a, b) -> a));
    }

    public boolean hasGeneratedColumns() {
        return columns.stream().anyMatch(ColumnInfo::generated);
    }

    /** The table's stored generated columns, compiled; those that cannot be computed carry the reason. */
    public List<GeneratedColumn> generatedColumns() {
        Map<String, PgType> types = types();
        return columns.stream().filter(ColumnInfo::generated).map(c -> GeneratedColumn.compile(table, c, types)).toList();
    }
}
