package io.cdcmarts.capture.generated;

import java.util.Map;
import java.util.Optional;

/**
 * A stored generated column and what capture can do about it: its compiled expression, or the
 * reason it cannot be computed outside the database.
 *
 * @param table      the table name
 * @param column     the column
 * @param expression the compiled expression, or null when untranslatable
 * @param reason     why the expression cannot be computed, or null
 */
public record GeneratedColumn(String table, ColumnInfo column, GenerationExpression expression, String reason) {

    /** Compiles the column's expression against the table's column types. */
    public static GeneratedColumn compile(String table, ColumnInfo column, Map<String, PgType> types) {
        try {
            return new GeneratedColumn(table, column, GenerationExpression.compile(column.expression(), types, column.type()), null);
        } catch (UntranslatableExpressionException e) {
            return new GeneratedColumn(table, column, null, e.getMessage());
        }
    }

    public String name() {
        return column.name();
    }

    public Optional<GenerationExpression> compiled() {
        return Optional.ofNullable(expression);
    }

    /** table.column GENERATED ALWAYS AS (expression), for messages. */
    public String describe() {
        return table + "." + column.name() + " " + column.type().sql() + " GENERATED ALWAYS AS (" + column.expression() + ")";
    }
}
