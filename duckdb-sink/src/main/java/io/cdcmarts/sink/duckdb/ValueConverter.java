package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.RawChangeEvent;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;

/**
 * Turns one JSON value of a change event or typed row into the Java value the Appender writes
 * to a column of a given DuckDB type, exactly or not at all: a value that does not fit (a decimal
 * that would need rounding, a number out of range, text where a number belongs) throws
 * {@link ValueException} and the message becomes a dead letter instead of a wrong row.
 *
 * <p>Java values by kind: BOOLEAN Boolean, TINYINT Byte, SMALLINT Short, INTEGER Integer, BIGINT Long,
 * FLOAT Float, DOUBLE Double, DECIMAL BigDecimal at the column's scale, VARCHAR and JSON String,
 * UUID {@link java.util.UUID}, BLOB byte[], DATE LocalDate, TIME LocalTime, TIMETZ OffsetTime,
 * TIMESTAMP LocalDateTime, TIMESTAMPTZ Instant ({@link Infinities}: MAX and MIN of the last three are
 * PostgreSQL's ±infinity), INTERVAL the text DuckDB casts from ({@link Intervals}), LIST (a source
 * array, PostgreSQL's text of it) nested {@code List}s of each element's text DuckDB casts from ({@link PgArrays}).
 *
 * <p>A value is first checked against the JSON kind its declared Connect type is written as
 * ({@link DeclaredKind}): a number in a column the schema declares a string is refused, not read
 * as epoch microseconds.
 *
 * <p>The source's encoding comes from the event's {@link ColumnSpec} when there is one (a key of a
 * tombstone has none: then numbers in temporal columns are read as Debezium's defaults, days for
 * dates and microseconds for times and timestamps).
 */
public final class ValueConverter {

    private static final String UNAVAILABLE_BASE64 = Base64.getEncoder()
            .encodeToString(RawChangeEvent.UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8));
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private ValueConverter() {
    }

    /** A value that cannot be written to its column as it is. */
    public static final class ValueException extends IllegalArgumentException {
        public ValueException(String message) {
            super(message);
        }
    }

    /**
     * Whether the value is Debezium's placeholder for an unchanged TOASTed column (as text, as
     * the base64 of the placeholder's bytes for bytea, or as a one-element array for arrays).
     */
    public static boolean isUnavailable(JsonNode value) {
        if (value == null) {
            return false;
        }
        if (value.isTextual()) {
            return isUnavailableText(value.textValue());
        }
        return value.isArray() && value.size() == 1 && value.get(0).isTextual()
                && RawChangeEvent.UNAVAILABLE_VALUE.equals(value.get(0).textValue());
    }

    /** Whether a JSON string value is Debezium's placeholder (as text or as the base64 of bytea). */
    public static boolean isUnavailableText(String text) {
        return RawChangeEvent.UNAVAILABLE_VALUE.equals(text) || UNAVAILABLE_BASE64.equals(text);
    }

    /**
     * @param column  the column's name, for messages
     * @param value   the JSON value, null or missing for SQL NULL
     * @param spec    how the source encoded it, or null when unknown
     * @param target  the column's DuckDB type
     * @return the value to append, or null
     * @throws ValueException when the value does not fit the column exactly
     */
    public static Object convert(String column, JsonNode value, ColumnSpec spec, DuckType target) {
        return convert(column, value, spec, target, true);
    }

    /**
     * A key column's value as the message key carries it. Keys are not written by the value's
     * converter (a mart key names its day as ISO text where the row has an int32 date), so the
     * declared JSON kind is not checked; the value must still read exactly as the column's type.
     */
    public static Object convertKey(String column, JsonNode value, ColumnSpec spec, DuckType target) {
        return convert(column, value, spec, target, false);
    }

    private static Object convert(String column, JsonNode value, ColumnSpec spec, DuckType target, boolean checkKind) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            if (checkKind) {
                DeclaredKind.check(spec, value);
            }
            return switch (target.kind()) {
                case BOOLEAN -> bool(value);
                case TINYINT -> (byte) integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case SMALLINT -> (short) integral(value, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE);
                case FLOAT -> (float) floating(value);
                case DOUBLE -> floating(value);
                case DECIMAL -> decimal(value, spec, target);
                case VARCHAR -> text(value);
                case JSON -> json(value, spec);
                case UUID -> java.util.UUID.fromString(requireText(value));
                case BLOB -> bytes(value);
                case DATE -> date(value, spec);
                case TIME -> time(value, spec);
                case TIMETZ -> OffsetTime.parse(requireText(value));
                case TIMESTAMP -> timestamp(value, spec);
                case TIMESTAMPTZ -> instant(value, spec);
                case INTERVAL -> Intervals.fromIso(requireText(value));
                case LIST -> PgArrays.parse(requireText(value), target);
            };
        } catch (ValueException e) {
            throw new ValueException("column '" + column + "' (" + target.sql() + "): " + e.getMessage());
        } catch (DateTimeException | IllegalArgumentException | ArithmeticException e) {
            throw new ValueException("column '" + column + "' (" + target.sql() + "): value " + abbreviate(value)
                    + " does not fit: " + e.getMessage());
        }
    }

    private static Boolean bool(JsonNode v) {
        if (!v.isBoolean()) {
            throw new ValueException("expected true or false, got " + abbreviate(v));
        }
        return v.booleanValue();
    }

    private static long integral(JsonNode v, long min, long max) {
        if (!v.isNumber()) {
            throw new ValueException("expected an integer, got " + abbreviate(v));
        }
        long n;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.longValue();
        } else {
            BigDecimal d = v.decimalValue();
            if (d.compareTo(LONG_MIN) < 0 || d.compareTo(LONG_MAX) > 0) {
                throw new ValueException("value " + d.toPlainString() + " is out of range");
            }
            try {
                n = d.stripTrailingZeros().longValueExact();
            } catch (ArithmeticException e) {
                throw new ValueException("value " + d.toPlainString() + " is not a whole number");
            }
        }
        if (n < min || n > max) {
            throw new ValueException("value " + n + " is out of range");
        }
        return n;
    }

    private static double floating(JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            // The JSON converter writes the IEEE specials as strings.
            switch (v.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new ValueException("expected a number, got " + abbreviate(v));
    }

    private static BigDecimal decimal(JsonNode v, ColumnSpec spec, DuckType target) {
        BigDecimal d;
        if (v.isNumber()) {
            d = v.decimalValue();
        } else if (v.isObject() && v.has("value") && v.has("scale")) {
            // io.debezium.data.VariableScaleDecimal: {scale, value: base64 of the unscaled two's complement}
            d = new BigDecimal(new BigInteger(Base64.getDecoder().decode(v.get("value").asText())), v.get("scale").asInt());
        } else if (v.isTextual() && spec != null && "bytes".equals(spec.type())) {
            // The JSON converter's default decimal.format=BASE64: the unscaled value's bytes.
            d = new BigDecimal(new BigInteger(Base64.getDecoder().decode(v.textValue())), spec.scale());
        } else if (v.isTextual()) {
            d = new BigDecimal(v.textValue().trim());
        } else {
            throw new ValueException("expected a decimal number, got " + abbreviate(v));
        }
        BigDecimal scaled;
        try {
            scaled = d.setScale(target.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new ValueException("value " + d.toPlainString() + " has more than " + target.scale()
                    + " fraction digits and would be rounded");
        }
        if (scaled.precision() > target.precision()) {
            throw new ValueException("value " + d.toPlainString() + " has more than "
                    + (target.precision() - target.scale()) + " integer digits");
        }
        return scaled;
    }

    private static String text(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBigDecimal()) {
            // a decimal in a text column (ColumnTypes keeps VARCHAR after numeric -> text): its digits, never 1E-7
            return v.decimalValue().toPlainString();
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        return writeJson(v);
    }

    private static String json(JsonNode v, ColumnSpec spec) {
        if (v.isTextual() && (spec == null || ColumnSpec.JSON.equals(spec.logical()))) {
            // Already JSON text (io.debezium.data.Json); refuse what DuckDB would fail to read later.
            try {
                Json.MAPPER.readTree(v.textValue());
            } catch (JsonProcessingException e) {
                throw new ValueException("value is not valid JSON: " + e.getOriginalMessage());
            }
            return v.textValue();
        }
        return writeJson(v);
    }

    private static byte[] bytes(JsonNode v) {
        if (v.isBinary()) {
            try {
                return v.binaryValue();
            } catch (java.io.IOException e) {
                throw new ValueException("unreadable bytes: " + e.getMessage());
            }
        }
        return Base64.getDecoder().decode(requireText(v));
    }

    private static LocalDate date(JsonNode v, ColumnSpec spec) {
        if (v.isTextual() && Infinities.text(v.textValue()) != null) {
            return Infinities.text(v.textValue()) == Instant.MAX ? LocalDate.MAX : LocalDate.MIN;
        }
        if (v.isTextual()) {
            return LocalDate.parse(v.textValue().length() > 10 ? v.textValue().substring(0, 10) : v.textValue());
        }
        return epochDate(integral(v, Long.MIN_VALUE, Long.MAX_VALUE), spec == null ? null : spec.logical());
    }

    /** A number in a DATE column: days since the epoch, or a timestamp in its type's unit (then its UTC day). */
    static LocalDate epochDate(long n, String logical) {
        if (logical == null || ColumnSpec.DATE.equals(logical) || TypeMapping.CONNECT_DATE.equals(logical)) {
            return Infinities.date(n);
        }
        LocalDateTime t = Infinities.local(epochInstant(n, logical));
        return t == LocalDateTime.MAX ? LocalDate.MAX : t == LocalDateTime.MIN ? LocalDate.MIN : t.toLocalDate();
    }

    private static LocalTime time(JsonNode v, ColumnSpec spec) {
        if (v.isTextual()) {
            return LocalTime.parse(stripOffset(v.textValue()));
        }
        long n = integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
        String logical = spec == null ? "" : String.valueOf(spec.logical());
        long nanos = switch (logical) {
            case ColumnSpec.TIME, TypeMapping.CONNECT_TIME -> Math.multiplyExact(n, 1_000_000L);
            case TypeMapping.NANO_TIME -> n;
            default -> Math.multiplyExact(n, 1_000L);
        };
        // PostgreSQL's 24:00:00 is the end of the day; DuckDB's TIME stops just before it.
        return nanos >= 86_400_000_000_000L ? LocalTime.MAX.withNano(999_999_000) : LocalTime.ofNanoOfDay(nanos);
    }

    private static LocalDateTime timestamp(JsonNode v, ColumnSpec spec) {
        if (v.isTextual() && Infinities.text(v.textValue()) != null) {
            return Infinities.text(v.textValue()) == Instant.MAX ? LocalDateTime.MAX : LocalDateTime.MIN;
        }
        if (v.isTextual()) {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(v.textValue().replace(' ', 'T'),
                    OffsetDateTime::from, LocalDateTime::from);
            return t instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime() : (LocalDateTime) t;
        }
        long n = integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
        return Infinities.local(epochInstant(n, spec == null ? null : spec.logical()));
    }

    private static Instant instant(JsonNode v, ColumnSpec spec) {
        if (v.isTextual()) {
            String s = v.textValue();
            Instant usual = IsoInstants.parseUtc(s);
            if (usual != null) {
                return usual;
            }
            Instant infinity = Infinities.text(s);
            if (infinity != null) {
                return infinity;
            }
            try {
                return Infinities.instant(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                // A zone id form ("…[Europe/Paris]"), or no zone at all (read as UTC).
                TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s.replace(' ', 'T'),
                        java.time.ZonedDateTime::from, LocalDateTime::from);
                return t instanceof java.time.ZonedDateTime z ? z.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
            }
        }
        long n = integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
        return Infinities.instant(epochInstant(n, spec == null ? null : spec.logical()));
    }

    /** A number since the epoch in the unit its Debezium/Connect type implies (micros by default). */
    static Instant epochInstant(long n, String logical) {
        if (logical != null && (ColumnSpec.TIMESTAMP.equals(logical) || TypeMapping.CONNECT_TIMESTAMP.equals(logical))) {
            return Instant.ofEpochMilli(n);
        }
        if (ColumnSpec.NANO_TIMESTAMP.equals(logical)) {
            return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
        }
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1_000L);
    }

    private static String stripOffset(String time) {
        if (time.endsWith("Z")) {
            return time.substring(0, time.length() - 1);
        }
        int plus = Math.max(time.lastIndexOf('+'), time.lastIndexOf('-'));
        return plus > 0 ? time.substring(0, plus) : time;
    }

    private static String requireText(JsonNode v) {
        if (!v.isTextual()) {
            throw new ValueException("expected a string, got " + abbreviate(v));
        }
        return v.textValue();
    }

    private static String writeJson(JsonNode v) {
        try {
            return Json.MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new ValueException("cannot write value as JSON: " + e.getOriginalMessage());
        }
    }

    static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
