package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One column check of the staging layer, named as Bruin names its column checks so a Bruin user
 * reads the rules at a glance. As in Bruin, every check but {@code not_null} (and
 * {@code size_matches_category}, whose definition says so) lets a NULL pass: NULLs are
 * {@code not_null}'s business.
 *
 * <p>Each check sees the <em>cleaned</em>, typed value (trimmed, case-folded, decimals exact).
 */
public sealed interface Check {

    /** The check's name as it appears in dead letters and open failures. */
    String name();

    /** The column it checks. */
    String column();

    /**
     * @param value           the cleaned value (never Java null: a NULL is a {@code NullNode})
     * @param productCategory the cleaned category of the row's product, for checks that need it
     * @return why the value fails, or null when it passes
     */
    String violation(JsonNode value, String productCategory);

    /** The value is not NULL. */
    record NotNull(String column) implements Check {
        @Override
        public String name() {
            return "not_null";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isNull() ? column + " is null" : null;
        }
    }

    /** A text value is not empty once trimmed. */
    record NotBlank(String column) implements Check {
        @Override
        public String name() {
            return "not_blank";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isTextual() && value.textValue().isEmpty() ? column + " is blank" : null;
        }
    }

    /** A number is greater than zero. */
    record Positive(String column) implements Check {
        @Override
        public String name() {
            return "positive";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isNumber() && value.decimalValue().signum() <= 0
                    ? column + " must be greater than 0, got " + value.asText() : null;
        }
    }

    /** A number is zero or more. */
    record NonNegative(String column) implements Check {
        @Override
        public String name() {
            return "non_negative";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isNumber() && value.decimalValue().signum() < 0
                    ? column + " must not be negative, got " + value.asText() : null;
        }
    }

    /** A text value is one of a fixed list (compared after cleaning, case-sensitively). */
    record AcceptedValues(String column, List<String> values) implements Check {
        public AcceptedValues {
            values = List.copyOf(values);
        }

        @Override
        public String name() {
            return "accepted_values";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isTextual() && !values.contains(value.textValue())
                    ? column + " '" + value.textValue() + "' is not one of " + values : null;
        }
    }

    /** A text value matches a regular expression (searched, so anchor it with ^ and $). */
    record Matches(String column, Pattern regex) implements Check {
        @Override
        public String name() {
            return "pattern";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isTextual() && !regex.matcher(value.textValue()).find()
                    ? column + " '" + value.textValue() + "' does not match " + regex.pattern() : null;
        }
    }

    /** A number is at least {@code min}. */
    record Min(String column, BigDecimal min) implements Check {
        @Override
        public String name() {
            return "min";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isNumber() && value.decimalValue().compareTo(min) < 0
                    ? column + " " + value.asText() + " is below the minimum " + min.toPlainString() : null;
        }
    }

    /** A number is at most {@code max}. */
    record Max(String column, BigDecimal max) implements Check {
        @Override
        public String name() {
            return "max";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            return value.isNumber() && value.decimalValue().compareTo(max) > 0
                    ? column + " " + value.asText() + " is above the maximum " + max.toPlainString() : null;
        }
    }

    /**
     * The cross-table size rule: when the row's product has category {@code numericCategory}, the
     * size is a whole number from {@code minNumeric} to {@code maxNumeric}; for any other category
     * (or none) it is one of {@code lettered}. A NULL size fails.
     */
    record SizeMatchesCategory(String column, String numericCategory, int minNumeric, int maxNumeric,
                               List<String> lettered) implements Check {
        public SizeMatchesCategory {
            lettered = List.copyOf(lettered);
        }

        @Override
        public String name() {
            return "size_matches_category";
        }

        @Override
        public String violation(JsonNode value, String productCategory) {
            if (!value.isTextual()) {
                return column + " is null";
            }
            String size = value.textValue();
            if (numericCategory.equals(productCategory)) {
                return wholeNumberBetween(size, minNumeric, maxNumeric) ? null
                        : column + " '" + size + "' is not a whole number from " + minNumeric + " to " + maxNumeric
                        + " as category '" + numericCategory + "' needs";
            }
            return lettered.contains(size) ? null
                    : column + " '" + size + "' is not one of " + lettered + " as category '" + productCategory + "' needs";
        }

        private static boolean wholeNumberBetween(String text, int min, int max) {
            if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            int n = Integer.parseInt(text);
            return n >= min && n <= max;
        }
    }
}
