package io.cdcmarts.sink.duckdb;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * PostgreSQL's {@code infinity} and {@code -infinity} of {@code date}, {@code timestamp} and
 * {@code timestamptz}. Debezium sends them as the ordinary-looking values it chose for them (a
 * timestamp in the year 294247, a date about 5.9 million years back); DuckDB has real infinite
 * DATE and TIMESTAMP values. Between the reading of a value and its append, the Java value stands
 * for them: {@code MAX} of LocalDate, LocalDateTime and Instant is {@code infinity}, {@code MIN}
 * is {@code -infinity} ({@link Appends} writes DuckDB's infinities for them).
 */
final class Infinities {

    /** Debezium's {@code PostgresValueConverter.POSITIVE_INFINITY_INSTANT}: what {@code timestamp 'infinity'} arrives as. */
    static final Instant DEBEZIUM_TIMESTAMP_INFINITY = Instant.parse("+294247-01-10T04:00:25.200Z");
    /** Debezium's {@code NEGATIVE_INFINITY_INSTANT}: {@code timestamp '-infinity'}. */
    static final Instant DEBEZIUM_TIMESTAMP_MINUS_INFINITY = Instant.parse("-290308-12-21T19:59:27.600Z");
    /** Debezium's {@code POSITIVE_INFINITY_OFFSET_DATE_TIME}: {@code timestamptz 'infinity'}. */
    static final Instant DEBEZIUM_TIMESTAMPTZ_INFINITY = Instant.parse("+292278994-08-16T23:00:00Z");
    /** Debezium's {@code NEGATIVE_INFINITY_OFFSET_DATE_TIME}: {@code timestamptz '-infinity'}. */
    static final Instant DEBEZIUM_TIMESTAMPTZ_MINUS_INFINITY = Instant.parse("-292275055-05-16T23:00:00Z");
    /** Debezium's {@code POSITIVE_INFINITY_LOCAL_DATE} as days since the epoch: {@code date 'infinity'}. */
    static final long DEBEZIUM_DATE_INFINITY = LocalDate.parse("-5877611-06-21").toEpochDay();
    /** Debezium's {@code NEGATIVE_INFINITY_LOCAL_DATE}: {@code date '-infinity'}. */
    static final long DEBEZIUM_DATE_MINUS_INFINITY = LocalDate.parse("-5877611-06-22").toEpochDay();

    /**
     * {@code date 'infinity'} in a snapshot: read through JDBC, pgjdbc's infinite date comes out as
     * this day (1701533-04-05 BC), not the streamed one above.
     */
    static final long SNAPSHOT_DATE_INFINITY = -622_191_234L;
    /** {@code date '-infinity'} in a snapshot (1711472-07-22 BC). */
    static final long SNAPSHOT_DATE_MINUS_INFINITY = -625_821_272L;

    /** DuckDB's infinite TIMESTAMP / TIMESTAMPTZ, in microseconds since the epoch. */
    static final long DUCKDB_INFINITY_MICROS = Long.MAX_VALUE;
    static final long DUCKDB_MINUS_INFINITY_MICROS = -Long.MAX_VALUE;
    /** DuckDB's infinite DATE, in days since the epoch. */
    static final int DUCKDB_INFINITY_DAYS = Integer.MAX_VALUE;
    static final int DUCKDB_MINUS_INFINITY_DAYS = -Integer.MAX_VALUE;

    private Infinities() {
    }

    /** The instant, or MAX/MIN when it is one of Debezium's infinities. */
    static Instant instant(Instant i) {
        if (i.equals(DEBEZIUM_TIMESTAMP_INFINITY) || i.equals(DEBEZIUM_TIMESTAMPTZ_INFINITY)) {
            return Instant.MAX;
        }
        if (i.equals(DEBEZIUM_TIMESTAMP_MINUS_INFINITY) || i.equals(DEBEZIUM_TIMESTAMPTZ_MINUS_INFINITY)) {
            return Instant.MIN;
        }
        return i;
    }

    /** {@link #instant} as a timestamp without time zone (UTC wall clock). */
    static LocalDateTime local(Instant i) {
        Instant v = instant(i);
        return v == Instant.MAX ? LocalDateTime.MAX : v == Instant.MIN ? LocalDateTime.MIN
                : LocalDateTime.ofEpochSecond(v.getEpochSecond(), v.getNano(), java.time.ZoneOffset.UTC);
    }

    /** A date from days since the epoch, or MAX/MIN for Debezium's infinities. */
    static LocalDate date(long epochDay) {
        if (epochDay == DEBEZIUM_DATE_INFINITY || epochDay == SNAPSHOT_DATE_INFINITY) {
            return LocalDate.MAX;
        }
        if (epochDay == DEBEZIUM_DATE_MINUS_INFINITY || epochDay == SNAPSHOT_DATE_MINUS_INFINITY) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(epochDay);
    }

    /** PostgreSQL's own spelling, as text ({@code "infinity"}, {@code "-infinity"}), or null. */
    static Instant text(String s) {
        return switch (s) {
            case "infinity", "+infinity" -> Instant.MAX;
            case "-infinity" -> Instant.MIN;
            default -> null;
        };
    }
}
