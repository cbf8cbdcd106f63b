package io.cdcmarts.sink.duckdb;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DuckDB column type the sink writes, with the precision and scale of decimals.
 *
 * @param kind      the type
 * @param precision decimal width (1–38), 0 for every other kind
 * @param scale     decimal scale, 0 for every other kind
 */
public record DuckType(Kind kind, int precision, int scale) {

    /** The DuckDB types a change event's columns map to, plus the lists the sink's own tables use. */
    public enum Kind {
        BOOLEAN("BOOLEAN"), TINYINT("TINYINT"), SMALLINT("SMALLINT"), INTEGER("INTEGER"), BIGINT("BIGINT"),
        FLOAT("FLOAT"), DOUBLE("DOUBLE"), DECIMAL("DECIMAL"), VARCHAR("VARCHAR"), JSON("JSON"), UUID("UUID"),
        BLOB("BLOB"), DATE("DATE"), TIME("TIME"), TIMETZ("TIME WITH TIME ZONE"), TIMESTAMP("TIMESTAMP"),
        TIMESTAMPTZ("TIMESTAMP WITH TIME ZONE"), INTERVAL("INTERVAL"), VARCHAR_LIST("VARCHAR[]"), INTEGER_LIST("INTEGER[]"), BIGINT_LIST("BIGINT[]");

        private final String sql;

        Kind(String sql) {
            this.sql = sql;
        }
    }

    /** DuckDB's widest exact decimal. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    public static final DuckType BOOLEAN = of(Kind.BOOLEAN);
    public static final DuckType TINYINT = of(Kind.TINYINT);
    public static final DuckType SMALLINT = of(Kind.SMALLINT);
    public static final DuckType INTEGER = of(Kind.INTEGER);
    public static final DuckType BIGINT = of(Kind.BIGINT);
    public static final DuckType FLOAT = of(Kind.FLOAT);
    public static final DuckType DOUBLE = of(Kind.DOUBLE);
    public static final DuckType VARCHAR = of(Kind.VARCHAR);
    public static final DuckType JSON = of(Kind.JSON);
    public static final DuckType UUID = of(Kind.UUID);
    public static final DuckType BLOB = of(Kind.BLOB);
    public static final DuckType DATE = of(Kind.DATE);
    public static final DuckType TIME = of(Kind.TIME);
    public static final DuckType TIMETZ = of(Kind.TIMETZ);
    public static final DuckType TIMESTAMP = of(Kind.TIMESTAMP);
    public static final DuckType TIMESTAMPTZ = of(Kind.TIMESTAMPTZ);
    public static final DuckType INTERVAL = of(Kind.INTERVAL);
    public static final DuckType VARCHAR_LIST = of(Kind.VARCHAR_LIST);
    public static final DuckType INTEGER_LIST = of(Kind.INTEGER_LIST);
    public static final DuckType BIGINT_LIST = of(Kind.BIGINT_LIST);

    private static final Pattern DECIMAL_SQL = Pattern.compile("(?:DECIMAL|NUMERIC)\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    public DuckType {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DECIMAL) {
            if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("DECIMAL(" + precision + "," + scale + ") is not a DuckDB decimal");
            }
        } else if (precision != 0 || scale != 0) {
            throw new IllegalArgumentException(kind + " has no precision or scale");
        }
    }

    private static DuckType of(Kind kind) {
        return new DuckType(kind, 0, 0);
    }

    public static DuckType decimal(int precision, int scale) {
        return new DuckType(Kind.DECIMAL, precision, scale);
    }

    /**
     * The type of this column in a staging table the Appender fills. DuckDB JDBC 1.4's Appender
     * cannot open a table with an INTERVAL column at all, so an interval is staged as the text
     * DuckDB casts from ({@code "14 months 3 days 14706780000 microseconds"}) and cast on the way
     * into the target.
     */
    public DuckType staged() {
        return kind == Kind.INTERVAL ? VARCHAR : this;
    }

    /** Whether the Appender can write this type into a table (see {@link #staged()}). */
    public boolean appendable() {
        return kind != Kind.INTERVAL;
    }

    /** The type as DuckDB's DDL spells it. */
    public String sql() {
        return kind == Kind.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : kind.sql;
    }

    /**
     * Reads a type as {@code duckdb_columns().data_type} reports it, for tables that exist when the
     * sink starts.
     *
     * @throws IllegalArgumentException for a type the sink never creates (someone altered the table)
     */
    public static DuckType parse(String dataType) {
        String t = dataType.trim().toUpperCase(Locale.ROOT);
        Matcher m = DECIMAL_SQL.matcher(t);
        if (m.matches()) {
            return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return switch (t) {
            case "BOOLEAN", "BOOL" -> BOOLEAN;
            case "TINYINT", "INT1" -> TINYINT;
            case "SMALLINT", "INT2" -> SMALLINT;
            case "INTEGER", "INT", "INT4" -> INTEGER;
            case "BIGINT", "INT8" -> BIGINT;
            case "FLOAT", "REAL", "FLOAT4" -> FLOAT;
            case "DOUBLE", "FLOAT8" -> DOUBLE;
            case "VARCHAR", "TEXT", "STRING" -> VARCHAR;
            case "JSON" -> JSON;
            case "UUID" -> UUID;
            case "BLOB", "BYTEA" -> BLOB;
            case "DATE" -> DATE;
            case "TIME" -> TIME;
            case "TIME WITH TIME ZONE", "TIMETZ" -> TIMETZ;
            case "TIMESTAMP", "DATETIME" -> TIMESTAMP;
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> TIMESTAMPTZ;
            case "INTERVAL" -> INTERVAL;
            case "VARCHAR[]" -> VARCHAR_LIST;
            case "INTEGER[]" -> INTEGER_LIST;
            case "BIGINT[]" -> BIGINT_LIST;
            default -> throw new IllegalArgumentException("DuckDB type '" + dataType + "' is not one the sink writes");
        };
    }

    @Override
    public String toString() {
        return sql();
    }
}
