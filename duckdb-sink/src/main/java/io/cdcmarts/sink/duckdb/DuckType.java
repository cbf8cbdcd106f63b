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
 * @param element   a list's element type (itself a list for n-D arrays), null for every other kind
 */
public record DuckType(Kind kind, int precision, int scale, DuckType element) {

    /** The DuckDB types a change event's columns map to; LIST for source arrays and the sink's own lists. */
    public enum Kind {
        BOOLEAN("BOOLEAN"), TINYINT("TINYINT"), SMALLINT("SMALLINT"), INTEGER("INTEGER"), BIGINT("BIGINT"),
        FLOAT("FLOAT"), DOUBLE("DOUBLE"), DECIMAL("DECIMAL"), VARCHAR("VARCHAR"), JSON("JSON"), UUID("UUID"),
        BLOB("BLOB"), DATE("DATE"), TIME("TIME"), TIMETZ("TIME WITH TIME ZONE"), TIMESTAMP("TIMESTAMP"),
        TIMESTAMPTZ("TIMESTAMP WITH TIME ZONE"), INTERVAL("INTERVAL"), LIST("[]");

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
    public static final DuckType VARCHAR_LIST = list(VARCHAR);
    public static final DuckType INTEGER_LIST = list(INTEGER);
    public static final DuckType BIGINT_LIST = list(BIGINT);

    private static final Pattern DECIMAL_SQL = Pattern.compile("(?:DECIMAL|NUMERIC)\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    public DuckType {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.LIST) != (element != null)) {
            throw new IllegalArgumentException(kind == Kind.LIST ? "a list needs an element type" : kind + " has no element type");
        }
        if (kind == Kind.DECIMAL) {
            if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("DECIMAL(" + precision + "," + scale + ") is not a DuckDB decimal");
            }
        } else if (precision != 0 || scale != 0) {
            throw new IllegalArgumentException(kind + " has no precision or scale");
        }
    }

    public DuckType(Kind kind, int precision, int scale) {
        this(kind, precision, scale, null);
    }

    private static DuckType of(Kind kind) {
        return new DuckType(kind, 0, 0);
    }

    public static DuckType decimal(int precision, int scale) {
        return new DuckType(Kind.DECIMAL, precision, scale);
    }

    /** DuckDB's {@code element[]}. */
    public static DuckType list(DuckType element) {
        return new DuckType(Kind.LIST, 0, 0, Objects.requireNonNull(element, "element"));
    }

    /** A list nested {@code dimensions} deep ({@code T[][]} for 2), or the element itself for 0. */
    public static DuckType list(DuckType element, int dimensions) {
        DuckType t = element;
        for (int i = 0; i < dimensions; i++) {
            t = list(t);
        }
        return t;
    }

    /** The innermost element of a (nested) list, or this type. */
    public DuckType leaf() {
        return kind == Kind.LIST ? element.leaf() : this;
    }

    /** How deep lists nest: 0 for a scalar, 2 for {@code T[][]}. */
    public int dimensions() {
        return kind == Kind.LIST ? 1 + element.dimensions() : 0;
    }

    /**
     * The type of this column in a staging table the Appender fills. DuckDB JDBC 1.4's Appender
     * cannot open a table with an INTERVAL column at all, so an interval is staged as the text
     * DuckDB casts from ({@code "14 months 3 days 14706780000 microseconds"}) and cast on the way
     * into the target.
     */
    public DuckType staged() {
        return appendable() ? this : kind == Kind.LIST ? list(VARCHAR, dimensions()) : VARCHAR;
    }

    /**
     * Whether the Appender can write this type into a table (see {@link #staged()}). A list of a
     * source array is staged as the same nesting of VARCHAR, each element in the text DuckDB casts
     * from exactly ({@link PgArrays}), so one path serves every element type (the Appender has no
     * append for an infinite timestamp or an interval inside a list); lists of VARCHAR need no cast.
     */
    public boolean appendable() {
        return kind == Kind.LIST ? leaf().kind == Kind.VARCHAR : kind != Kind.INTERVAL;
    }

    /** The type as DuckDB's DDL spells it. */
    public String sql() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case LIST -> element.sql() + "[]";
            default -> kind.sql;
        };
    }

    /**
     * Reads a type as {@code duckdb_columns().data_type} reports it, for tables that exist when the
     * sink starts.
     *
     * @throws IllegalArgumentException for a type the sink never creates (someone altered the table)
     */
    public static DuckType parse(String dataType) {
        String t = dataType.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("[]")) {
            return list(parse(t.substring(0, t.length() - 2)));
        }
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
            default -> throw new IllegalArgumentException("DuckDB type '" + dataType + "' is not one the sink writes");
        };
    }

    @Override
    public String toString() {
        return sql();
    }
}
