package io.cdcmarts.sink.duckdb;

import io.cdcmarts.common.event.ColumnSpec;

/**
 * Which DuckDB type a change event's column becomes (SPEC §4): the Connect type and Debezium's
 * semantic name together decide, so an {@code int32} that is a {@code io.debezium.time.Date} is a
 * DATE and an {@code int64} that is a {@code MicroTimestamp} a TIMESTAMP.
 *
 * <p>NUMERIC without a declared precision has no exact DuckDB equivalent (DuckDB decimals stop at 38
 * digits): capture sends it as exact text, which stays VARCHAR. Topics written before that carry a
 * {@code VariableScaleDecimal}, which becomes {@code DECIMAL(38, max(s, UNCONSTRAINED_SCALE))}; a
 * value that does not fit is never rounded: the message becomes a dead letter.
 */
public final class TypeMapping {

    /** Scale of a NUMERIC column declared without precision and scale (28 integer digits + 10 fraction digits). */
    public static final int UNCONSTRAINED_SCALE = 10;

    static final String CONNECT_DATE = "org.apache.kafka.connect.data.Date";
    static final String CONNECT_TIME = "org.apache.kafka.connect.data.Time";
    static final String CONNECT_TIMESTAMP = "org.apache.kafka.connect.data.Timestamp";
    static final String NANO_TIME = "io.debezium.time.NanoTime";
    static final String ISO_DATE = "io.debezium.time.IsoDate";
    static final String ISO_TIME = "io.debezium.time.IsoTime";
    static final String ISO_TIMESTAMP = "io.debezium.time.IsoTimestamp";
    /**
     * A NUMERIC declared without precision, as its exact text (capture's
     * {@code UnconstrainedNumericConverter}): VARCHAR, since no one DuckDB DECIMAL holds every such
     * value (38 digits at most, one scale per column), nor NaN and the infinities.
     */
    static final String UNCONSTRAINED_NUMERIC = "io.cdcmarts.UnconstrainedNumeric";
    /**
     * A PostgreSQL array as its text, with the element type and declared dimensions as parameters
     * (capture's {@code PgArrayConverter}): a DuckDB list of the element's type, nested as deep.
     */
    static final String PG_ARRAY = "io.cdcmarts.PgArray";
    /** An interval as ISO 8601 text ({@code interval.handling.mode=string}), months, days and seconds apart. */
    static final String INTERVAL = "io.debezium.time.Interval";

    private TypeMapping() {
    }

    public static DuckType of(ColumnSpec column) {
        String logical = column.logical() == null ? "" : column.logical();
        if (ColumnSpec.DECIMAL.equals(logical)) {
            return decimal(column.precision(), column.scale());
        }
        if (ColumnSpec.VARIABLE_SCALE_DECIMAL.equals(logical)) {
            return decimal(-1, UNCONSTRAINED_SCALE);
        }
        return switch (column.type()) {
            case "int8" -> DuckType.TINYINT;
            case "int16" -> DuckType.SMALLINT;
            case "int32" -> switch (logical) {
                case ColumnSpec.DATE, CONNECT_DATE -> DuckType.DATE;
                case ColumnSpec.TIME, CONNECT_TIME -> DuckType.TIME;
                default -> DuckType.INTEGER;
            };
            case "int64" -> switch (logical) {
                case ColumnSpec.MICRO_TIMESTAMP, ColumnSpec.TIMESTAMP, ColumnSpec.NANO_TIMESTAMP, CONNECT_TIMESTAMP -> DuckType.TIMESTAMP;
                case ColumnSpec.MICRO_TIME, NANO_TIME -> DuckType.TIME;
                default -> DuckType.BIGINT;
            };
            // Connect's schema types are FLOAT32/FLOAT64; its JSON converter names them float/double.
            case "float32", "float" -> DuckType.FLOAT;
            case "float64", "double" -> DuckType.DOUBLE;
            case "boolean" -> DuckType.BOOLEAN;
            case "string" -> switch (logical) {
                case ColumnSpec.ZONED_TIMESTAMP -> DuckType.TIMESTAMPTZ;
                case ColumnSpec.ZONED_TIME -> DuckType.TIMETZ;
                case ColumnSpec.UUID -> DuckType.UUID;
                case ColumnSpec.JSON -> DuckType.JSON;
                case ISO_DATE -> DuckType.DATE;
                case ISO_TIME -> DuckType.TIME;
                case ISO_TIMESTAMP -> DuckType.TIMESTAMP;
                case INTERVAL -> DuckType.INTERVAL;
                case UNCONSTRAINED_NUMERIC -> DuckType.VARCHAR;
                case PG_ARRAY -> array(column);
                default -> DuckType.VARCHAR;
            };
            case "bytes" -> DuckType.BLOB;
            // Maps and nested rows (and Debezium's own arrays, in topics written before PgArrayConverter) are kept whole, as JSON.
            case "struct", "array", "map" -> DuckType.JSON;
            default -> throw new IllegalArgumentException("column '" + column.name() + "' has Connect type '"
                    + column.type() + "', which the sink does not know");
        };
    }

    private static DuckType array(ColumnSpec column) {
        int dimensions;
        try {
            dimensions = Integer.parseInt(column.parameters().getOrDefault("dimensions", "1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column '" + column.name() + "' has array dimensions '"
                    + column.parameters().get("dimensions") + "', which is no number");
        }
        return DuckType.list(PgArrays.elementType(column.parameters().get("element")), Math.max(1, dimensions));
    }

    /**
     * A DuckDB decimal that holds every value of the source's NUMERIC(precision, scale) exactly
     * where one exists; precision &lt; 0 means the source declared none.
     */
    static DuckType decimal(int precision, int scale) {
        if (precision < 0) {
            // The scale of an unconstrained NUMERIC varies per value: leave room for at least
            // UNCONSTRAINED_SCALE fraction digits whatever scale the first event happened to have.
            int s = Math.min(Math.max(scale, UNCONSTRAINED_SCALE), DuckType.MAX_DECIMAL_PRECISION);
            return DuckType.decimal(DuckType.MAX_DECIMAL_PRECISION, s);
        }
        if (scale < 0) {
            // NUMERIC(p, -s) (PostgreSQL 15+) holds integers with up to p + s digits.
            return DuckType.decimal(Math.min(precision - scale, DuckType.MAX_DECIMAL_PRECISION), 0);
        }
        int width = Math.min(Math.max(Math.max(precision, scale), 1), DuckType.MAX_DECIMAL_PRECISION);
        return DuckType.decimal(width, Math.min(scale, width));
    }
}
