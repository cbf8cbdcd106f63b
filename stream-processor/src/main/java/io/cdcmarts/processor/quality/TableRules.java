package io.cdcmarts.processor.quality;

import java.util.List;
import java.util.Optional;

/**
 * The staging definition of one source table: its columns (type and cleaning) and its checks.
 *
 * @param table   the source table name
 * @param columns the staging columns, in table order
 * @param checks  every check, in the order they are reported
 */
public record TableRules(String table, List<ColumnDef> columns, List<Check> checks) {

    public TableRules {
        columns = List.copyOf(columns);
        checks = List.copyOf(checks);
        for (Check check : checks) {
            if (columns.stream().noneMatch(c -> c.name().equals(check.column()))) {
                throw new IllegalArgumentException(table + ": check " + check.name() + " names unknown column " + check.column());
            }
        }
    }

    public Optional<ColumnDef> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Whether any column holds text, i.e. whether an update can carry an unavailable TOASTed value. */
    public boolean hasText() {
        return columns.stream().anyMatch(c -> c.type() == ColumnType.TEXT);
    }
}
