package io.cdcmarts.sink.duckdb;

import org.duckdb.DuckDBAppender;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;

/** Typed appends of the Java values {@link ValueConverter} produces, one per DuckDB kind. */
public final class Appends {

    private Appends() {
    }

    /** Appends {@code value} (or NULL) as the next column of the current row. */
    public static void append(DuckDBAppender appender, DuckType type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> appender.append((boolean) (Boolean) value);
            case TINYINT -> appender.append((byte) (Byte) value);
            case SMALLINT -> appender.append((short) (Short) value);
            case INTEGER -> appender.append((int) (Integer) value);
            case BIGINT -> appender.append((long) (Long) value);
            case FLOAT -> appender.append((float) (Float) value);
            case DOUBLE -> appender.append((double) (Double) value);
            case DECIMAL -> appender.append((BigDecimal) value);
            case VARCHAR, JSON -> appender.append((String) value);
            case UUID -> appender.append((UUID) value);
            case BLOB -> appender.append((byte[]) value);
            case DATE -> appender.appendEpochDays(days((LocalDate) value));
            case TIME -> appender.appendDayMicros(((LocalTime) value).toNanoOfDay() / 1_000L);
            case TIMETZ -> appender.append((OffsetTime) value);
            case TIMESTAMP -> appender.appendEpochMicros(value == LocalDateTime.MAX ? Infinities.DUCKDB_INFINITY_MICROS
                    : value == LocalDateTime.MIN ? Infinities.DUCKDB_MINUS_INFINITY_MICROS : micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
            case TIMESTAMPTZ -> appender.appendEpochMicros(micros((Instant) value));
            // Staged as text (DuckType#staged): the Appender cannot write INTERVAL columns.
            case INTERVAL -> appender.append((String) value);
            // The sink's own lists hold their Java values; a source array's are staged as text (DuckType#staged).
            case LIST -> appender.append((Collection<?>) value);
        }
    }

    /**
     * Writes the appended rows, failing when DuckDB refuses them. Always call it before closing:
     * DuckDB JDBC 1.4's {@code close()} drops a failed flush silently, and the transaction then
     * commits without those rows (a key conflict, for one).
     */
    public static void flush(DuckDBAppender appender) throws SQLException {
        appender.flush();
    }

    private static int days(LocalDate d) {
        return d == LocalDate.MAX ? Infinities.DUCKDB_INFINITY_DAYS : d == LocalDate.MIN ? Infinities.DUCKDB_MINUS_INFINITY_DAYS
                : Math.toIntExact(d.toEpochDay());
    }

    /** Microseconds since the epoch; Instant.MAX and MIN are DuckDB's ±infinity ({@link Infinities}). */
    static long micros(Instant i) {
        if (i == Instant.MAX) {
            return Infinities.DUCKDB_INFINITY_MICROS;
        }
        if (i == Instant.MIN) {
            return Infinities.DUCKDB_MINUS_INFINITY_MICROS;
        }
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000L);
    }
}
