package io.cdcmarts.processor.raw;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/** Typed reads of row values (cleaned staging rows or raw after images). */
public final class Rows {

    private Rows() {
    }

    /** An integral value, or null when NULL, missing or not an integer. */
    public static Long longOrNull(JsonNode row, String column) {
        JsonNode v = row.get(column);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    /** An integral value; NULL (or unreadable) adds nothing, so it reads as 0. */
    public static long longOrZero(JsonNode row, String column) {
        Long v = longOrNull(row, column);
        return v == null ? 0 : v;
    }

    /** A number, exact; NULL (or unreadable) adds nothing, so it reads as 0. */
    public static BigDecimal decimalOrZero(JsonNode row, String column) {
        JsonNode v = row.get(column);
        return v != null && v.isNumber() ? v.decimalValue() : BigDecimal.ZERO;
    }

    /** A text value, or null. */
    public static String text(JsonNode row, String column) {
        JsonNode v = row.get(column);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
