package io.cdcmarts.capture.generated;

/**
 * One column of a captured table as the catalog describes it.
 *
 * @param name       the column name
 * @param attnum     its position ({@code pg_attribute.attnum})
 * @param type       its type
 * @param expression the generation expression (pg_get_expr) of a stored generated column, else null
 */
public record ColumnInfo(String name, int attnum, PgType type, String expression) {

    public boolean generated() {
        return expression != null;
    }
}
