package io.cdcmarts.capture.generated;

import java.util.Locale;
import java.util.Optional;

/**
 * A column type as the catalog gives it ({@code pg_type.typname} and {@code pg_attribute.atttypmod}),
 * reduced to what generated-column arithmetic needs: its numeric kind and, for NUMERIC, the declared
 * precision and scale.
 *
 * @param name      the internal type name: int2, int4, int8, numeric, float4, float8, text …
 * @param precision NUMERIC precision, or -1 when undeclared (and for every other type)
 * @param scale     NUMERIC scale, or -1 when undeclared (and for every other type)
 */
public record PgType(String name, int precision, int scale) {

    /** How a value of a type takes part in arithmetic; PostgreSQL's own promotion rules follow it. */
    public enum Kind {
        /** int2, int4, int8: exact, and division truncates toward zero. */
        INTEGER,
        /** numeric/decimal: exact. */
        NUMERIC,
        /** float4, float8: binary floating point. */
        FLOAT
    }

    public PgType {
        name = name.toLowerCase(Locale.ROOT);
    }

    /** A type from {@code pg_type.typname} and {@code pg_attribute.atttypmod}. */
    public static PgType fromCatalog(String typname, int typmod) {
        String name = typname.toLowerCase(Locale.ROOT);
        if ("numeric".equals(name) && typmod >= 4) {
            int packed = typmod - 4;
            int precision = (packed >> 16) & 0xffff;
            // PostgreSQL 15 allows a negative scale: 11 bits, two's complement.
            int scale = ((packed & 0x7ff) ^ 1024) - 1024;
            return new PgType(name, precision, scale);
        }
        return new PgType(name, -1, -1);
    }

    public static PgType numeric(int precision, int scale) {
        return new PgType("numeric", precision, scale);
    }

    public static PgType of(String name) {
        return new PgType(name, -1, -1);
    }

    /** The arithmetic kind, or empty for a type the evaluator does not compute with (text, date …). */
    public Optional<Kind> kind() {
        return switch (name) {
            case "int2", "int4", "int8" -> Optional.of(Kind.INTEGER);
            case "numeric" -> Optional.of(Kind.NUMERIC);
            case "float4", "float8" -> Optional.of(Kind.FLOAT);
            default -> Optional.empty();
        };
    }

    /** Whether this is a NUMERIC with a declared scale (values are rounded to it). */
    public boolean hasScale() {
        return "numeric".equals(name) && precision > 0;
    }

    /** The type as SQL spells it, for messages. */
    public String sql() {
        return switch (name) {
            case "int2" -> "smallint";
            case "int4" -> "integer";
            case "int8" -> "bigint";
            case "float4" -> "real";
            case "float8" -> "double precision";
            case "numeric" -> hasScale() ? "numeric(" + precision + "," + scale + ")" : "numeric";
            default -> name;
        };
    }

    /**
     * The type a cast names ({@code ::numeric(12,2)}, {@code ::double precision}, {@code ::bigint} …),
     * or empty when it is not one the evaluator computes with.
     */
    static Optional<PgType> fromCastName(String words, Integer precision, Integer scale) {
        String n = words.toLowerCase(Locale.ROOT).replace("pg_catalog.", "");
        String internal = switch (n) {
            case "smallint", "int2" -> "int2";
            case "integer", "int", "int4" -> "int4";
            case "bigint", "int8" -> "int8";
            case "real", "float4" -> "float4";
            case "double precision", "float8", "float" -> "float8";
            case "numeric", "decimal" -> "numeric";
            default -> null;
        };
        if (internal == null) {
            return Optional.empty();
        }
        if ("numeric".equals(internal) && precision != null) {
            return Optional.of(numeric(precision, scale == null ? 0 : scale));
        }
        return Optional.of(of(internal));
    }
}
