package io.cdcmarts.common.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations options take: {@code 500ms}, {@code 2s}, {@code 1m}, a bare number of milliseconds, or ISO-8601. */
public final class Durations {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * {@code 500ms}, {@code 2s}, {@code 1m}, a bare number of milliseconds, or ISO-8601 ({@code PT0.5S}).
     *
     * @throws IllegalArgumentException naming {@code option}
     */
    public static Duration parse(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(option + " is empty; use e.g. 500ms, 2s or PT0.5S");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration; use e.g. 500ms, 2s or PT0.5S");
        }
    }

    /** Like {@link #parse}, and more than zero. */
    public static Duration positive(String option, String text) {
        Duration d = parse(option, text);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be more than 0, got " + text);
        }
        return d;
    }

    /** {@code 2s}, {@code 1500ms}: the way options are written, for messages. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
