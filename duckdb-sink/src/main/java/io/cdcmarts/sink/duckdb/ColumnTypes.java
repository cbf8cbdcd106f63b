package io.cdcmarts.sink.duckdb;

import java.math.BigDecimal;
import java.util.Collection;

/**
 * What a raw column's DuckDB type becomes when the source changes the column's type
 * ({@code ALTER TABLE … ALTER COLUMN … TYPE}), and how a value already read for the old type is
 * carried over.
 *
 * <p>The rule is a join: the DuckDB column takes the narrowest type of the sink's that holds every
 * value of its old type <em>and</em> of the new one exactly, when there is one ({@code int → bigint}
 * becomes BIGINT, {@code bigint → int} stays BIGINT, {@code numeric(10,2) → numeric(12,4)} becomes
 * DECIMAL(12,4) and back stays DECIMAL(12,4), {@code real → double precision} DOUBLE, anything
 * {@code → text} VARCHAR). Joins only ever widen, so the result does not depend on the order in which
 * the sink meets the old and the new version (interleaved partitions, a replay, a rebuild) and a
 * late event of the old version still fits. VARCHAR holds the exact text of integers and decimals,
 * so {@code text → int} keeps VARCHAR (holding {@code "42"}), and two decimals beyond 38 digits join
 * in it. Anything {@code → text} becomes VARCHAR. Where no type holds both (int → timestamp,
 * bigint → double, timestamp → timestamptz …), the column follows the source: its existing values
 * are cast with {@code TRY_CAST} (NULL where DuckDB cannot) until capture's re-sent table brings
 * PostgreSQL's own converted values, which it does for every type change. Key columns have their
 * own rule ({@link #widenKey}).
 */
public final class ColumnTypes {

    private ColumnTypes() {
    }

    /**
     * The type the column has from now on, and whether it holds every value of {@code held} (then
     * values already read convert exactly, {@link #carry}).
     */
    public record Change(DuckType type, boolean exact) {
    }

    /** The column's type once it must also take values of {@code incoming}; {@code held} when it already does. */
    public static Change widen(DuckType held, DuckType incoming) {
        if (held.equals(incoming) || holds(held, incoming)) {
            return new Change(held, true);
        }
        if (holds(incoming, held) || incoming.kind() == DuckType.Kind.VARCHAR && held.kind() != DuckType.Kind.LIST) {
            // anything -> text: DuckDB's cast gives every old value a text, the re-sent rows PostgreSQL's
            return new Change(incoming, true);
        }
        DuckType join = join(held, incoming);
        if (join != null) {
            return new Change(join, true);
        }
        return new Change(incoming, false);
    }

    /**
     * The same for a key column, where a value PostgreSQL rewrites differently from DuckDB's copy
     * would leave the old row under its old key beside the re-sent one: only a change to a type that
     * holds every old value ({@code int → bigint}) or between integer types keeps the rows; any other
     * ({@code numeric(12,4) → numeric(10,2)} rounds keys, {@code text → int} makes {@code '0042'} 42)
     * is not exact, and the table is emptied for the re-sent rows.
     */
    public static Change widenKey(DuckType held, DuckType incoming) {
        if (held.equals(incoming) || holds(incoming, held) && !(incoming.kind() == DuckType.Kind.VARCHAR && held.kind() != DuckType.Kind.VARCHAR)) {
            return new Change(incoming, true);
        }
        if (isInteger(held) && isInteger(incoming)) {
            return new Change(held, true); // bigint -> int keeps every value or fails at the source
        }
        return new Change(incoming, false);
    }

    /** Whether every value of {@code narrow} is exactly a value of {@code wide}. */
    static boolean holds(DuckType wide, DuckType narrow) {
        if (wide.equals(narrow)) {
            return true;
        }
        if (wide.kind() == DuckType.Kind.VARCHAR) {
            // the exact text of integers and decimals (JSON numbers); other types' JSON is not PostgreSQL's text
            return isInteger(narrow) || narrow.kind() == DuckType.Kind.DECIMAL;
        }
        if (wide.kind() == DuckType.Kind.LIST || narrow.kind() == DuckType.Kind.LIST) {
            return wide.kind() == narrow.kind() && holds(wide.element(), narrow.element());
        }
        if (isInteger(wide) && isInteger(narrow)) {
            return integerDigits(wide) >= integerDigits(narrow);
        }
        if (isInteger(wide) && narrow.kind() == DuckType.Kind.DECIMAL) {
            // BIGINT holds every 18-digit integer, not every 19-digit one
            return narrow.scale() == 0 && narrow.precision() < integerDigits(wide);
        }
        if (wide.kind() == DuckType.Kind.DECIMAL && integerDigits(narrow) >= 0) {
            return integerDigits(wide) >= integerDigits(narrow) && wide.scale() >= scale(narrow);
        }
        return switch (wide.kind()) {
            case DOUBLE -> narrow.kind() == DuckType.Kind.FLOAT || (isInteger(narrow) && integerDigits(narrow) <= 10);
            case FLOAT -> isInteger(narrow) && integerDigits(narrow) <= 5;
            default -> false;
        };
    }

    /** A third type holding both exactly (two decimals, or an integer and a decimal), or null. */
    private static DuckType join(DuckType a, DuckType b) {
        if (a.kind() == DuckType.Kind.LIST && b.kind() == DuckType.Kind.LIST) {
            DuckType element = join(a.element(), b.element());
            return element == null ? null : DuckType.list(element);
        }
        int aInt = integerDigits(a);
        int bInt = integerDigits(b);
        if (aInt >= 0 && bInt >= 0) {
            int scale = Math.max(scale(a), scale(b));
            int precision = Math.max(aInt, bInt) + scale;
            if (precision <= DuckType.MAX_DECIMAL_PRECISION) {
                return DuckType.decimal(precision, scale);
            }
            return DuckType.VARCHAR; // beyond 38 digits: their exact text, as for a numeric without precision
        }
        if (isInteger(a) && b.kind() == DuckType.Kind.FLOAT || isInteger(b) && a.kind() == DuckType.Kind.FLOAT) {
            DuckType integer = isInteger(a) ? a : b;
            return integerDigits(integer) <= 10 ? DuckType.DOUBLE : null;
        }
        return null;
    }

    /**
     * A value read for a column of type {@code from}, as the column now of type {@code to} holds
     * it; exact whenever {@link #widen} said so. Any other value carries over as NULL: the table
     * capture sends again replaces it.
     */
    public static Object carry(Object value, DuckType from, DuckType to) {
        if (value == null || from.equals(to)) {
            return value;
        }
        if (to.kind() == DuckType.Kind.LIST) {
            // A source array is held as the text of its elements whatever their type (PgArrays).
            return value instanceof Collection<?> ? value : null;
        }
        if (to.kind() == DuckType.Kind.VARCHAR) {
            return value instanceof BigDecimal d ? d.toPlainString() : value instanceof byte[] || value instanceof Collection<?> ? null : value.toString();
        }
        if (value instanceof Number n) {
            try {
                return switch (to.kind()) {
                    case SMALLINT -> (short) n.intValue() == n.longValue() ? (Object) (short) n.intValue() : null;
                    case INTEGER -> (int) n.longValue() == n.longValue() ? (Object) (int) n.longValue() : null;
                    case BIGINT -> n instanceof BigDecimal d ? d.longValueExact() : (Object) n.longValue();
                    case DOUBLE -> n instanceof BigDecimal ? null : (Object) n.doubleValue();
                    case FLOAT -> n instanceof Byte || n instanceof Short ? (Object) n.floatValue() : null;
                    case DECIMAL -> n instanceof BigDecimal d ? d.setScale(to.scale())
                            : n instanceof Float || n instanceof Double ? null : BigDecimal.valueOf(n.longValue()).setScale(to.scale());
                    default -> null;
                };
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean isInteger(DuckType t) {
        return switch (t.kind()) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> true;
            default -> false;
        };
    }

    /** Decimal digits before the point that every value of an integer or decimal type fits in; -1 for other types. */
    private static int integerDigits(DuckType t) {
        return switch (t.kind()) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            case DECIMAL -> t.precision() - t.scale();
            default -> -1;
        };
    }

    private static int scale(DuckType t) {
        return t.kind() == DuckType.Kind.DECIMAL ? t.scale() : 0;
    }
}
