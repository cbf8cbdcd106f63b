package io.cdcmarts.sink.duckdb;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL interval as Debezium writes it with {@code interval.handling.mode=string}
 * ({@code io.debezium.time.Interval}, ISO 8601: {@code P1Y2M3DT4H5M6.78S}, each part signed on its
 * own) turned into the text DuckDB casts to INTERVAL: {@code "14 months 3 days 14706780000 microseconds"}.
 * PostgreSQL and DuckDB both keep months, days and microseconds apart, so the three parts carry over
 * exactly: {@code '1 mon'} stays one month, not 30 days.
 */
final class Intervals {

    private static final Pattern ISO = Pattern.compile(
            "P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)W)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?\\d+(?:\\.\\d+)?)S)?)?");
    private static final BigDecimal MICROS_PER_SECOND = BigDecimal.valueOf(1_000_000L);

    private Intervals() {
    }

    /**
     * @throws ValueConverter.ValueException when the text is not such an interval, has more than
     *                                       microsecond precision or leaves DuckDB's range
     */
    static String fromIso(String iso) {
        Matcher m = ISO.matcher(iso.trim());
        if (!m.matches() || iso.trim().equals("P") || iso.trim().endsWith("T")) {
            throw new ValueConverter.ValueException("expected an ISO 8601 interval like P1Y2M3DT4H5M6S, got \"" + iso + "\"");
        }
        long months = Math.addExact(Math.multiplyExact(part(m, 1), 12L), part(m, 2));
        long days = Math.addExact(Math.multiplyExact(part(m, 3), 7L), part(m, 4));
        BigDecimal seconds = m.group(7) == null ? BigDecimal.ZERO : new BigDecimal(m.group(7));
        BigDecimal micros = seconds.multiply(MICROS_PER_SECOND)
                .add(BigDecimal.valueOf(Math.addExact(Math.multiplyExact(part(m, 5), 3_600_000_000L),
                        Math.multiplyExact(part(m, 6), 60_000_000L))));
        long exactMicros;
        try {
            exactMicros = micros.longValueExact();
        } catch (ArithmeticException e) {
            throw new ValueConverter.ValueException("interval \"" + iso + "\" has more than microsecond precision or is out of range");
        }
        return Math.toIntExact(months) + " months " + Math.toIntExact(days) + " days " + exactMicros + " microseconds";
    }

    private static long part(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}
