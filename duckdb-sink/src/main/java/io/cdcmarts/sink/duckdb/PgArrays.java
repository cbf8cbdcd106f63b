package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cdcmarts.common.Json;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's text of an array ({@code {1,NULL,3}}, {@code {{1,2},{3,4}}}, {@code {"a,b","\"q\""}},
 * {@code [0:1]={7,8}}) as the nested lists the sink stages for a DuckDB {@code T[]…[]} column: each
 * element checked against its DuckDB type here and written as the text DuckDB casts from exactly, so
 * a value DuckDB would refuse is a dead letter of this message, never a failed batch.
 *
 * <p>An array's lower bounds ({@code [0:1]=}) are not kept: DuckDB lists start at 1. The element
 * delimiter is the comma (every type but {@code box}, whose elements are VARCHAR anyway and may then
 * split: documented).
 */
public final class PgArrays {

    private static final Pattern DATE = Pattern.compile("(\\d{4,}-\\d{2}-\\d{2})( BC)?");
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{4,}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?)([+-]\\d{2}(?::\\d{2}){0,2})?( BC)?");
    private static final Pattern TIMETZ = Pattern.compile("(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?)[+-]\\d{2}(?::\\d{2}){0,2}");
    /** DuckDB's TIMESTAMP stops in 294247 AD and 290309 BC; PostgreSQL's in 294276 AD and 4713 BC. */
    private static final int MAX_TIMESTAMP_YEAR = 294246;

    private PgArrays() {
    }

    /**
     * @param literal    PostgreSQL's text of the array
     * @param target     the column's type, a list nested as deep as the array's declared dimensions
     * @return nested {@code List}s of the elements' DuckDB text (null for NULL elements)
     * @throws ValueConverter.ValueException when the text is no array of those dimensions or an element does not fit
     */
    public static List<Object> parse(String literal, DuckType target) {
        if (target.kind() != DuckType.Kind.LIST) {
            throw new IllegalArgumentException(target + " is no list");
        }
        Parser p = new Parser(literal);
        p.skipBounds();
        List<Object> value = p.array(target, 1);
        p.skipSpace();
        if (!p.atEnd()) {
            throw new ValueConverter.ValueException("unexpected text after the array at offset " + p.pos);
        }
        return value;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        /** {@code [1:2][0:1]=}: dimension decoration before arrays with other lower bounds than 1. */
        void skipBounds() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '[') {
                int eq = s.indexOf('=', pos);
                if (eq < 0) {
                    throw new ValueConverter.ValueException("array text " + abbreviate(s) + " has dimensions but no '='");
                }
                pos = eq + 1;
            }
        }

        List<Object> array(DuckType type, int depth) {
            skipSpace();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
                return Collections.emptyList();
            }
            List<Object> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == '{') {
                    if (type.element().kind() != DuckType.Kind.LIST) {
                        throw dimensions(type, depth);
                    }
                    out.add(array(type.element(), depth + 1));
                } else {
                    if (type.element().kind() == DuckType.Kind.LIST) {
                        throw dimensions(type, depth);
                    }
                    out.add(element(type.element()));
                }
                skipSpace();
                char c = next();
                if (c == '}') {
                    return out;
                }
                if (c != ',') {
                    throw new ValueConverter.ValueException("expected ',' or '}' at offset " + (pos - 1) + " of the array text");
                }
            }
        }

        private ValueConverter.ValueException dimensions(DuckType type, int depth) {
            int declared = depth - 1 + type.dimensions();
            return new ValueConverter.ValueException("the array's dimensions differ from the column's " + declared
                    + " (PostgreSQL's declared dimensions of the column, which it does not enforce)");
        }

        private String element(DuckType type) {
            if (peek() == '"') {
                pos++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    char c = next();
                    if (c == '\\') {
                        sb.append(next());
                    } else if (c == '"') {
                        return PgArrays.element(sb.toString(), type);
                    } else {
                        sb.append(c);
                    }
                }
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != '}') {
                if (s.charAt(pos) == '\\') {
                    pos++;
                }
                pos++;
            }
            String raw = s.substring(start, Math.min(pos, s.length())).strip();
            if (raw.equalsIgnoreCase("NULL")) {
                return null;
            }
            return PgArrays.element(raw.replaceAll("\\\\(.)", "$1"), type);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new ValueConverter.ValueException("array text " + abbreviate(s) + " ends early");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new ValueConverter.ValueException("expected '" + c + "' at offset " + (pos - 1) + " of array text " + abbreviate(s));
            }
        }
    }

    /** One element's PostgreSQL text as the text DuckDB casts to {@code type} exactly. */
    static String element(String text, DuckType type) {
        try {
            return switch (type.kind()) {
                case SMALLINT -> Short.toString(Short.parseShort(text));
                case INTEGER -> Integer.toString(Integer.parseInt(text));
                case BIGINT -> Long.toString(Long.parseLong(text));
                case FLOAT -> floating(text, true);
                case DOUBLE -> floating(text, false);
                case BOOLEAN -> switch (text) {
                    case "t", "true" -> "true";
                    case "f", "false" -> "false";
                    default -> throw new ValueConverter.ValueException("element " + abbreviate(text) + " is not a boolean");
                };
                case UUID -> java.util.UUID.fromString(text).toString();
                case DATE -> date(text);
                case TIMESTAMP, TIMESTAMPTZ -> timestamp(text, type.kind() == DuckType.Kind.TIMESTAMPTZ);
                case TIME -> time(text);
                case TIMETZ -> timetz(text);
                case BLOB -> blob(text);
                case JSON -> json(text);
                case VARCHAR -> text;
                default -> throw new IllegalArgumentException("arrays of " + type + " are not staged");
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ValueConverter.ValueException("element " + abbreviate(text) + " is not a " + type.sql() + ": " + e.getMessage());
        }
    }

    private static String floating(String text, boolean single) {
        switch (text) {
            case "NaN", "Infinity", "-Infinity":
                return text;
            default:
                double d = Double.parseDouble(text);
                if (Double.isInfinite(d) || (single && Float.isInfinite((float) d))) {
                    throw new ValueConverter.ValueException("element " + text + " is out of range");
                }
                return text;
        }
    }

    private static String date(String text) {
        if (text.equals("infinity") || text.equals("-infinity")) {
            return text;
        }
        Matcher m = DATE.matcher(text);
        if (!m.matches()) {
            throw new ValueConverter.ValueException("element " + abbreviate(text) + " is not a date");
        }
        return m.group(2) == null ? m.group(1) : m.group(1) + " (BC)";
    }

    private static String timestamp(String text, boolean zoned) {
        if (text.equals("infinity") || text.equals("-infinity")) {
            return text;
        }
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches() || (m.group(3) != null) != zoned) {
            throw new ValueConverter.ValueException("element " + abbreviate(text) + " is not a " + (zoned ? "timestamptz" : "timestamp"));
        }
        String date = m.group(1);
        int year = Integer.parseInt(date.substring(0, date.length() - 6));
        // Month, day and time fields in range (2000 is a leap year: 29 February passes).
        LocalDateTime.parse("2000" + date.substring(date.length() - 6) + "T" + m.group(2));
        if (year > MAX_TIMESTAMP_YEAR) {
            throw new ValueConverter.ValueException("element " + text + " is beyond DuckDB's last timestamp (294247 AD)");
        }
        return m.group(1) + (m.group(4) != null ? " (BC) " : " ") + m.group(2) + (zoned ? m.group(3) : "");
    }

    private static String time(String text) {
        // PostgreSQL's 24:00:00 is the end of the day; DuckDB's TIME stops just before it (as for a TIME column).
        if (text.startsWith("24:00:00")) {
            return "23:59:59.999999";
        }
        LocalTime.parse(text);
        return text;
    }

    private static String timetz(String text) {
        Matcher m = TIMETZ.matcher(text);
        if (!m.matches()) {
            throw new ValueConverter.ValueException("element " + abbreviate(text) + " is not a timetz");
        }
        LocalTime.parse(m.group(1));
        return text;
    }

    private static String blob(String text) {
        if (!text.startsWith("\\x")) {
            throw new ValueConverter.ValueException("bytea element is not in hex format (bytea_output = hex)");
        }
        byte[] bytes = HexFormat.of().parseHex(text.substring(2));
        StringBuilder sb = new StringBuilder(bytes.length * 4);
        for (byte b : bytes) {
            // Every byte escaped: DuckDB's BLOB cast reads \xHH and takes any other character as itself.
            sb.append("\\x").append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return sb.toString();
    }

    private static String json(String text) {
        try {
            Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ValueConverter.ValueException("element is not valid JSON: " + e.getOriginalMessage());
        }
        return text;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** The element name capture sends (PostgreSQL's type name) as the DuckDB element type. */
    static DuckType elementType(String pgType) {
        return switch (pgType == null ? "" : pgType.toLowerCase(Locale.ROOT)) {
            case "int2", "smallint" -> DuckType.SMALLINT;
            case "int4", "integer" -> DuckType.INTEGER;
            case "int8", "bigint" -> DuckType.BIGINT;
            case "float4", "real" -> DuckType.FLOAT;
            case "float8", "double precision" -> DuckType.DOUBLE;
            case "bool", "boolean" -> DuckType.BOOLEAN;
            case "uuid" -> DuckType.UUID;
            case "date" -> DuckType.DATE;
            case "timestamp" -> DuckType.TIMESTAMP;
            case "timestamptz" -> DuckType.TIMESTAMPTZ;
            case "time" -> DuckType.TIME;
            case "timetz" -> DuckType.TIMETZ;
            case "bytea" -> DuckType.BLOB;
            case "json", "jsonb" -> DuckType.JSON;
            // numeric (exact text, as an unconstrained numeric), interval (PostgreSQL's text), text types,
            // enums, inet, ranges …: PostgreSQL's text of each element.
            default -> DuckType.VARCHAR;
        };
    }
}
