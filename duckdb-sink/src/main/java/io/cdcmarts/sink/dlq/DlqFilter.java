package io.cdcmarts.sink.dlq;

import io.cdcmarts.sink.SinkConfig;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which dead letters {@code cdc-marts dlq} shows: of some tables, failing some checks, written to
 * their topic since an instant. An empty set matches everything.
 *
 * @param tables only these tables ({@code --table})
 * @param checks only records that failed at least one of these checks ({@code --check})
 * @param since  only records whose Kafka timestamp is at or after this, or null ({@code --since})
 */
public record DlqFilter(Set<String> tables, Set<String> checks, Instant since) {

    public static final DlqFilter ALL = new DlqFilter(Set.of(), Set.of(), null);

    public DlqFilter {
        tables = Set.copyOf(tables);
        checks = Set.copyOf(checks);
    }

    /** Whether a topic's table is wanted: topics of other tables are not read at all. */
    public boolean wantsTable(String table) {
        return tables.isEmpty() || tables.contains(table);
    }

    public boolean matches(DlqEntry e) {
        return wantsTable(e.table())
                && (since == null || !e.timestamp().isBefore(since))
                && (checks.isEmpty() || e.checks().stream().anyMatch(checks::contains));
    }

    /** {@code a,b} or repeated options, trimmed; blanks dropped. */
    public static Set<String> names(Iterable<String> values) {
        Set<String> out = new java.util.TreeSet<>();
        for (String v : values) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    /**
     * {@code --since}: an ISO instant ({@code 2026-01-01T10:00:00Z}) or a duration back from now
     * ({@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code PT1H}).
     *
     * @throws IllegalArgumentException naming {@code --since}
     */
    public static Instant parseSince(String text, Clock clock) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // not an instant: a duration back from now
        }
        String lower = t.toLowerCase(Locale.ROOT);
        try {
            java.time.Duration back = lower.matches("\\d+\\s*d")
                    ? java.time.Duration.ofDays(Long.parseLong(lower.replaceAll("\\D", "")))
                    : SinkConfig.parseDuration("--since", t);
            return clock.instant().minus(back);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--since: '" + text + "' is neither an ISO instant (2026-01-01T10:00:00Z) "
                    + "nor a duration back from now (30m, 1h, 2d)");
        }
    }

    @Override
    public String toString() {
        return (tables.isEmpty() ? "every table" : "tables " + String.join(",", tables))
                + (checks.isEmpty() ? "" : ", checks " + checks.stream().collect(Collectors.joining(",")))
                + (since == null ? ", from the beginning" : ", since " + since);
    }
}
