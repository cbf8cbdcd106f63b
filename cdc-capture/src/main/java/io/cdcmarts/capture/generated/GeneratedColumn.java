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
        String e = column.expression();
        return table + "." + column.name() + " " + column.type().sql() + " GENERATED ALWAYS AS "
                + (parenthesized(e) ? e : "(" + e + ")");
    }

    /** Whether the whole text is one parenthesized group, as pg_get_expr prints most expressions. */
    private static boolean parenthesized(String e) {
        if (!e.startsWith("(")) {
            return false;
        }
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0 && i < e.length() - 1) {
                    return false;
                }
            }
        }
        return depth == 0;
    }
}
