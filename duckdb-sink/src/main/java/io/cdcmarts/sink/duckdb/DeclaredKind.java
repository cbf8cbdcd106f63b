package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.event.ColumnSpec;

/**
 * Checks a value against the type its column declares in the event's schema, before it is read as
 * the DuckDB type: the JSON converter writes each Connect type as one JSON kind (an {@code int64}
 * as a number, a {@code string} — whatever its semantic name — as a string …), so a value of
 * another kind was not written by it and is refused rather than reinterpreted. Without this, a
 * number where the schema says {@code io.debezium.time.ZonedTimestamp} (a string type) would be
 * read as microseconds since 1970, the kind of wrong row the processor dead-letters (issue 10).
 */
final class DeclaredKind {

    private DeclaredKind() {
    }

    /**
     * @param spec  the column as the schema declares it, or null when unknown (nothing to check)
     * @param token the value's first token (never VALUE_NULL)
     * @throws ValueConverter.ValueException when the JSON kind is not the one the declared type is written as
     */
    static void check(ColumnSpec spec, JsonToken token) {
        if (spec == null || spec.type() == null || fits(spec, token)) {
            return;
        }
        throw new ValueConverter.ValueException("the schema declares " + declared(spec) + ", written as "
                + expected(spec) + ", but the value is " + describe(token));
    }

    /** {@link #check(ColumnSpec, JsonToken)} for a value already in a tree. */
    static void check(ColumnSpec spec, JsonNode value) {
        check(spec, value.asToken());
    }

    private static boolean fits(ColumnSpec spec, JsonToken t) {
        return switch (spec.type()) {
            case "int8", "int16", "int32", "int64" -> t == JsonToken.VALUE_NUMBER_INT;
            // The IEEE specials are written as the strings "NaN", "Infinity", "-Infinity".
            case "float32", "float64", "float", "double" -> t.isNumeric() || t == JsonToken.VALUE_STRING;
            case "boolean" -> t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE;
            case "string" -> t == JsonToken.VALUE_STRING;
            // Base64 text; a Decimal with decimal.format=NUMERIC is a JSON number.
            case "bytes" -> t == JsonToken.VALUE_STRING || (t.isNumeric() && ColumnSpec.DECIMAL.equals(spec.logical()));
            case "struct" -> t == JsonToken.START_OBJECT;
            case "array" -> t == JsonToken.START_ARRAY;
            case "map" -> t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
            default -> true; // a type TypeMapping does not know never gets this far
        };
    }

    private static String declared(ColumnSpec spec) {
        return spec.logical() == null ? "'" + spec.type() + "'" : "'" + spec.type() + "' (" + spec.logical() + ")";
    }

    private static String expected(ColumnSpec spec) {
        return switch (spec.type()) {
            case "int8", "int16", "int32", "int64" -> "an integer";
            case "float32", "float64", "float", "double" -> "a number";
            case "boolean" -> "true or false";
            case "string" -> "a string";
            case "bytes" -> ColumnSpec.DECIMAL.equals(spec.logical()) ? "a number" : "a base64 string";
            case "struct" -> "an object";
            case "array" -> "an array";
            default -> "an object or array";
        };
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> String.valueOf(t);
        };
    }
}
