package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.raw.RawRow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cleaning and checking of one row by its {@link TableRules}: first every column is read as its
 * declared type and cleaned, then every check runs on the cleaned row. A value of the wrong type
 * (e.g. text where a number belongs) fails the check {@value #VALID_TYPE} and is NULL in the
 * cleaned row; the other checks of that column are skipped, so one bad value is reported once.
 */
public final class Staging {

    /** The check name for a value that cannot be read as its column's type. */
    public static final String VALID_TYPE = "valid_type";

    /** The metadata columns every staging row ends with. */
    public static final String LSN_COLUMN = "_lsn";
    public static final String SOURCE_TS_COLUMN = "_source_ts";

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Cleaning PRODUCT_CATEGORY_CLEANING =
            StagingRules.PRODUCT_RULES.column("category").orElseThrow().cleaning();
    /** The staging row schema of each table: its columns, then the metadata columns. */
    private static final Map<String, List<ColumnSpec>> STAGING_COLUMNS = new ConcurrentHashMap<>();

    private Staging() {
    }

    /**
     * Cleans and checks a row.
     *
     * @param product the raw row of the row's product, for tables whose checks need it; else null
     */
    public static Validated validate(TableRules rules, RawRow raw, RawRow product) {
        ObjectNode cleaned = NODES.objectNode();
        List<DeadLetter.Failure> failures = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (ColumnDef column : rules.columns()) {
            if (column.computed()) {
                continue;
            }
            JsonNode value = raw.values().get(column.name());
            JsonNode typed = read(column, value);
            if (typed == null) {
                unreadable.add(column.name());
                failures.add(new DeadLetter.Failure(VALID_TYPE, column.name(), value, whyUnreadable(column, value)));
                cleaned.putNull(column.name());
            } else {
                cleaned.set(column.name(), typed);
            }
        }
        for (ColumnDef column : rules.columns()) {
            if (column.computed()) {
                cleaned.set(column.name(), product(cleaned.get(column.productOf().get(0)),
                        cleaned.get(column.productOf().get(1)), column.scale()));
            }
        }
        String category = product == null ? null : cleanedCategory(product);
        for (Check check : rules.checks()) {
            if (unreadable.contains(check.column())) {
                continue;
            }
            JsonNode value = cleaned.get(check.column());
            String violation = check.violation(value, category);
            if (violation != null) {
                failures.add(new DeadLetter.Failure(check.name(), check.column(), value, violation));
            }
        }
        long asOf = product == null ? raw.sourceTsMs() : Math.max(raw.sourceTsMs(), product.sourceTsMs());
        return new Validated(raw, cleaned, failures, asOf);
    }

    /** The product's category as the size rule reads it: cleaned like the staging column, or null. */
    public static String cleanedCategory(RawRow product) {
        JsonNode category = product.values().get("category");
        return category != null && category.isTextual() ? PRODUCT_CATEGORY_CLEANING.apply(category.textValue()) : null;
    }

    /** The staging row: the cleaned columns, then {@code _lsn} and {@code _source_ts}. */
    public static TypedRow stagingRow(TableRules rules, Validated validated) {
        List<ColumnSpec> columns = STAGING_COLUMNS.computeIfAbsent(rules.table(), t -> {
            List<ColumnSpec> specs = new ArrayList<>(rules.columns().size() + 2);
            rules.columns().forEach(c -> specs.add(c.spec()));
            specs.add(new ColumnSpec(LSN_COLUMN, "int64", null, Map.of(), true));
            specs.add(new ColumnSpec(SOURCE_TS_COLUMN, "string", ColumnSpec.ZONED_TIMESTAMP, Map.of(), true));
            return List.copyOf(specs);
        });
        ObjectNode values = validated.cleaned().deepCopy();
        RawRow raw = validated.raw();
        if (raw.lsn() >= 0) {
            values.put(LSN_COLUMN, raw.lsn());
        } else {
            values.putNull(LSN_COLUMN);
        }
        values.put(SOURCE_TS_COLUMN, Instant.ofEpochMilli(raw.sourceTsMs()).toString());
        return new TypedRow(columns, values);
    }

    /**
     * Reads a raw value as the column's type and cleans it.
     *
     * @return the typed value ({@code NullNode} for NULL or a missing column), or null when the value
     * cannot be read as that type
     */
    static JsonNode read(ColumnDef column, JsonNode value) {
        if (value == null || value.isNull()) {
            return NullNode.getInstance();
        }
        return switch (column.type()) {
            case INT64 -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE) ? NODES.numberNode(value.longValue()) : null;
            case INT32 -> integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE) ? NODES.numberNode(value.intValue()) : null;
            case DECIMAL -> {
                BigDecimal d = decimal(value, column.scale());
                BigDecimal scaled = d == null ? null : withScale(d, column);
                yield scaled == null ? null : NODES.numberNode(scaled);
            }
            case TEXT -> value.isTextual() ? NODES.textNode(column.cleaning().apply(value.textValue())) : null;
            case TIMESTAMPTZ -> value.isTextual() && isTimestamp(value.textValue()) ? value : null;
            case BOOLEAN -> value.isBoolean() ? value : null;
        };
    }

    private static boolean integral(JsonNode value, long min, long max) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return false;
        }
        long v = value.longValue();
        return v >= min && v <= max;
    }

    /**
     * A decimal as Debezium may write it: an exact JSON number (our converter setting), a decimal
     * string (decimal.handling.mode=string) or the Connect default, base64 of the unscaled bytes.
     */
    private static BigDecimal decimal(JsonNode value, int scale) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue().strip();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notPlain) {
            try {
                byte[] unscaled = Base64.getDecoder().decode(text);
                return unscaled.length == 0 ? null : new BigDecimal(new BigInteger(unscaled), scale);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
    }

    /**
     * The value at the column's declared scale, or null when it does not fit the column: more
     * fraction digits than the scale (setting the scale would round, and a stored value must be the
     * source's) or more digits than the precision. The source column cannot hold such a value, so
     * it was written by something other than the capture; it fails {@value #VALID_TYPE}.
     */
    static BigDecimal withScale(BigDecimal value, ColumnDef column) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO.setScale(column.scale());
        }
        // Decided from the exponent alone for extreme ones (1E-1000000, 1E+1000000): no digits built.
        if (value.scale() - value.precision() >= column.scale()
                || column.precision() > 0 && value.precision() - value.scale() > column.precision() - column.scale()) {
            return null;
        }
        BigDecimal scaled;
        try {
            scaled = value.setScale(column.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException wouldRound) {
            return null;
        }
        return column.precision() > 0 && scaled.precision() > column.precision() ? null : scaled;
    }

    /** The declared scale when it loses nothing; else the value as it came (it is still exact). */
    private static BigDecimal productWithScale(BigDecimal value, int scale) {
        try {
            return value.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException wouldRound) {
            return value;
        }
    }

    /** Why a value cannot be read as its column's type, naming the column (and for a decimal, which bound). */
    static String whyUnreadable(ColumnDef column, JsonNode value) {
        BigDecimal d = column.type() == ColumnType.DECIMAL ? decimal(value, column.scale()) : null;
        if (d == null) {
            return column.name() + " is not a valid " + column.type().name().toLowerCase() + ": " + value;
        }
        String declared = "DECIMAL(" + column.precision() + "," + column.scale() + ")";
        return d.stripTrailingZeros().scale() > column.scale()
                ? column.name() + " " + value + " has more than " + column.scale() + " digits after the point of its "
                + declared + " (it is not rounded: a stored value is the source's)"
                : column.name() + " " + value + " has more than " + (column.precision() - column.scale())
                + " digits before the point of its " + declared;
    }

    private static JsonNode product(JsonNode a, JsonNode b, int scale) {
        if (a == null || b == null || !a.isNumber() || !b.isNumber()) {
            return NullNode.getInstance();
        }
        return NODES.numberNode(productWithScale(a.decimalValue().multiply(b.decimalValue()), scale));
    }

    /**
     * Whether the text is an ISO-8601 timestamp with an offset, as Debezium writes TIMESTAMPTZ.
     * The common shape is recognised by its characters; only the others pay for a full parse, which
     * is what decides (the check runs for every timestamp column of every row version).
     */
    static boolean isTimestamp(String text) {
        if (canonicalTimestamp(text)) {
            return true;
        }
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} with a day ≤ 28 (valid in every month). */
    private static boolean canonicalTimestamp(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return false;
        }
        for (int i : new int[]{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
            if (!digit(t.charAt(i))) {
                return false;
            }
        }
        int month = number(t, 5);
        int day = number(t, 8);
        if (month < 1 || month > 12 || day < 1 || day > 28 || number(t, 11) > 23 || number(t, 14) > 59 || number(t, 17) > 59) {
            return false;
        }
        int i = 19;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && digit(t.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        if (i == n - 1) {
            return t.charAt(i) == 'Z';
        }
        return i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && digit(t.charAt(i + 1)) && digit(t.charAt(i + 2))
                && t.charAt(i + 3) == ':' && digit(t.charAt(i + 4)) && digit(t.charAt(i + 5))
                && number(t, i + 1) <= 18 && number(t, i + 4) <= 59;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String t, int at) {
        return (t.charAt(at) - '0') * 10 + (t.charAt(at + 1) - '0');
    }

    /** The instant of a staging timestamp value, or null for NULL. */
    public static Instant instant(JsonNode value) {
        return value == null || !value.isTextual() ? null : OffsetDateTime.parse(value.textValue()).toInstant();
    }
}
