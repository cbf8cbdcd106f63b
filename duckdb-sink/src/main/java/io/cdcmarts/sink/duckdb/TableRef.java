package io.cdcmarts.sink.duckdb;

import java.util.Objects;

/**
 * A table of the sink: its DuckDB schema ({@code raw}, {@code stg}, {@code mart}, {@code quality})
 * and name.
 */
public record TableRef(String schema, String name) {

    public static final String RAW = "raw";
    public static final String STG = "stg";
    public static final String MART = "mart";
    public static final String QUALITY = "quality";
    /** The sink's own bookkeeping (consumed offsets). */
    public static final String META = "_cdc";

    public TableRef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** The quoted, qualified name for SQL. */
    public String sql() {
        return Sql.ident(schema) + "." + Sql.ident(name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
