package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * {@link ValueConverter} for a value still in the parser, so a row image needs no tree: the usual
 * pairs of JSON token and column type (integers, exact decimals, text, Debezium's timestamps,
 * booleans, UUIDs) are converted from the token; every other pair, and every value that does not
 * fit, goes to ValueConverter as the tree of the value, which converts it or says why not. Results
 * and errors are therefore ValueConverter's.
 */
public final class ValueReader {

    /** A pair this class leaves to ValueConverter. */
    private static final Object INDIRECT = new Object();

    private ValueReader() {
    }

    /**
     * @param column the column's name, for messages
     * @param p      a parser on the value's (first) token
     * @param spec   how the source encoded it, or null when unknown
     * @param target the column's DuckDB type
     * @return the value to append, or null
     * @throws ValueConverter.ValueException when the value does not fit the column exactly
     */
    public static Object read(String column, JsonParser p, ColumnSpec spec, DuckType target) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        try {
            DeclaredKind.check(spec, t);
        } catch (ValueConverter.ValueException e) {
            throw new ValueConverter.ValueException("column '" + column + "' (" + target.sql() + "): " + e.getMessage());
        }
        Object value = direct(p, t, spec, target);
        return value != INDIRECT ? value : ValueConverter.convert(column, Json.MAPPER.readTree(p), spec, target);
    }

    private static Object direct(JsonParser p, JsonToken t, ColumnSpec spec, DuckType target) throws IOException {
        boolean integral = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        try {
            return switch (target.kind()) {
                case BIGINT -> integral ? (Object) p.getLongValue() : INDIRECT;
                case INTEGER -> integral && fits(p.getLongValue(), Integer.MIN_VALUE, Integer.MAX_VALUE) ? (Object) (int) p.getLongValue() : INDIRECT;
                case SMALLINT -> integral && fits(p.getLongValue(), Short.MIN_VALUE, Short.MAX_VALUE) ? (Object) (short) p.getLongValue() : INDIRECT;
                case TINYINT -> integral && fits(p.getLongValue(), Byte.MIN_VALUE, Byte.MAX_VALUE) ? (Object) (byte) p.getLongValue() : INDIRECT;
                case BOOLEAN -> t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : INDIRECT;
                case DECIMAL -> t.isNumeric() ? exact(p.getDecimalValue(), target) : INDIRECT;
                case DOUBLE -> integral ? (Object) (double) p.getLongValue()
                        : t == JsonToken.VALUE_NUMBER_FLOAT ? (Object) p.getDecimalValue().doubleValue() : INDIRECT;
                case FLOAT -> integral ? (Object) (float) (double) p.getLongValue()
                        : t == JsonToken.VALUE_NUMBER_FLOAT ? (Object) (float) p.getDecimalValue().doubleValue() : INDIRECT;
                case VARCHAR -> t == JsonToken.VALUE_STRING ? p.getText() : INDIRECT;
                case UUID -> t == JsonToken.VALUE_STRING ? java.util.UUID.fromString(p.getText()) : INDIRECT;
                case TIMESTAMPTZ -> integral ? Infinities.instant(ValueConverter.epochInstant(p.getLongValue(), logical(spec)))
                        : t == JsonToken.VALUE_STRING ? orIndirect(IsoInstants.parseUtc(p.getText())) : INDIRECT;
                case TIMESTAMP -> integral ? Infinities.local(ValueConverter.epochInstant(p.getLongValue(), logical(spec))) : INDIRECT;
                case DATE -> integral ? ValueConverter.epochDate(p.getLongValue(), logical(spec)) : INDIRECT;
                default -> INDIRECT;
            };
        } catch (RuntimeException e) {
            return INDIRECT; // out of range, not a UUID …: ValueConverter says so in its words
        }
    }

    /** The decimal at the column's scale, when it fits without rounding. */
    private static Object exact(BigDecimal d, DuckType target) {
        BigDecimal scaled = d.setScale(target.scale(), RoundingMode.UNNECESSARY);
        return scaled.precision() <= target.precision() ? scaled : INDIRECT;
    }

    private static boolean fits(long n, long min, long max) {
        return n >= min && n <= max;
    }

    private static Object orIndirect(Instant instant) {
        return instant != null ? instant : INDIRECT;
    }

    private static String logical(ColumnSpec spec) {
        return spec == null ? null : spec.logical();
    }
}
