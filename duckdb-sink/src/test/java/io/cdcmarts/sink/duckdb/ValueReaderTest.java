package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.core.JsonParser;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link ValueReader} converts from the parser what {@link ValueConverter} converts from a tree, and
 * must agree with it on every pair of value and column: the same value, or the same error.
 */
class ValueReaderTest {

    private static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "42", "127", "128", "-129",
            "32767", "32768", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "1.5", "10.50", "19.999", "-0.01", "1e2", "1E+3",
            "1.0e-2", "12345678901.25", "1234567890123.25", "\"\"", "\"text\"", "\"12.50\"", "\"NaN\"", "\"-Infinity\"",
            "\"2024-03-10T12:00:00Z\"", "\"2024-03-10T12:00:00.5Z\"", "\"2024-03-10T12:00:00.123456789Z\"",
            "\"2024-03-10T12:00:00.1234567891Z\"", "\"2024-03-10T12:00:00.Z\"", "\"2024-03-10T12:00Z\"",
            "\"2024-03-10T12:00:00+02:00\"", "\"2024-03-10 12:00:00Z\"", "\"2024-03-10t12:00:00Z\"", "\"2024-03-10T12:00:00z\"",
            "\"2024-02-30T12:00:00Z\"", "\"2023-02-29T00:00:00Z\"", "\"2024-02-29T23:59:59.999Z\"", "\"2024-03-10T24:00:00Z\"",
            "\"2024-03-10T23:59:60Z\"", "\"0000-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"", "\"2024-13-01T00:00:00Z\"",
            "\"2024-03-10T12:00:00[Europe/Paris]\"", "\"2024-03-10T12:00:00\"", "\"2024-03-10\"", "\"12:30:00\"",
            "\"2024-0３-10T12:00:00Z\"", "\"2024-03-10T12:00:00.12a4Z\"",
            "\"f47ac10b-58cc-4372-a567-0e02b2c3d479\"", "\"not-a-uuid\"", "\"__debezium_unavailable_value\"",
            "\"aGVsbG8=\"", "[1,2]", "[\"__debezium_unavailable_value\"]", "{\"a\":1}", "{\"scale\":2,\"value\":\"B9A=\"}");

    private static final List<DuckType> TYPES = List.of(DuckType.BOOLEAN, DuckType.TINYINT, DuckType.SMALLINT, DuckType.INTEGER,
            DuckType.BIGINT, DuckType.FLOAT, DuckType.DOUBLE, DuckType.decimal(10, 2), DuckType.decimal(38, 10), DuckType.decimal(3, 0),
            DuckType.VARCHAR, DuckType.JSON, DuckType.UUID, DuckType.BLOB, DuckType.DATE, DuckType.TIME, DuckType.TIMETZ,
            DuckType.TIMESTAMP, DuckType.TIMESTAMPTZ);

    private static final List<ColumnSpec> SPECS = new ArrayList<>();

    static {
        SPECS.add(null);
        for (String logical : new String[]{null, ColumnSpec.DECIMAL, ColumnSpec.ZONED_TIMESTAMP, ColumnSpec.MICRO_TIMESTAMP,
                ColumnSpec.TIMESTAMP, ColumnSpec.NANO_TIMESTAMP, ColumnSpec.DATE, ColumnSpec.MICRO_TIME, ColumnSpec.JSON}) {
            SPECS.add(new ColumnSpec("c", "string", logical, Map.of("scale", "2"), true));
            SPECS.add(new ColumnSpec("c", "bytes", logical, Map.of("scale", "2"), true));
        }
    }

    @Test
    void everyValueInEveryColumnReadsAsItsTreeConverts() throws Exception {
        for (String value : VALUES) {
            for (DuckType type : TYPES) {
                for (ColumnSpec spec : SPECS) {
                    Object expected = outcome(() -> ValueConverter.convert("c", Json.MAPPER.readTree(value), spec, type));
                    Object actual;
                    try (JsonParser p = Json.MAPPER.createParser(value)) {
                        p.nextToken();
                        actual = outcome(() -> ValueReader.read("c", p, spec, type));
                    }
                    assertThat(actual).as("%s as %s (%s)", value, type.sql(), spec).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void debeziumsTimestampsReadAsTheIsoFormatterReadsThem() {
        // Given timestamps of every year from 0000 to 9999, with 0 to 9 fraction digits
        Random random = new Random(42);
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
        long first = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long last = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(first + (long) (random.nextDouble() * (last - first)), 0, ZoneOffset.UTC);
            int digits = random.nextInt(10);
            String fraction = digits == 0 ? "" : "." + String.format("%09d", random.nextInt(1_000_000_000)).substring(0, digits);
            String text = seconds.format(t) + fraction + "Z";

            // Then the fast parse gives what the formatter gives
            assertThat(IsoInstants.parseUtc(text)).as(text)
                    .isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        }
    }

    @Test
    void aStringTheFastParseTakesIsOneTheFormatterReadsTheSameAndTheRestFallBack() {
        // ValueConverter asks IsoInstants first: anything it accepts must be what the formatter
        // reads, and anything the formatter refuses it must leave to the formatter (null)
        for (String text : List.of("2024-02-30T00:00:00Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
                "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z",
                "2024-01-01T23:59:60Z", "2024-01-01T23:60:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z",
                "２０２４-01-01T00:00:00Z", "2024-01-01t00:00:00Z", "+2024-01-01T00:00:00Z", "2024-1-01T00:00:00Z",
                "2024-01-01T00:00:00z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:0aZ",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z")) {
            Instant formatter;
            try {
                formatter = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                formatter = null;
            }
            Instant fast = IsoInstants.parseUtc(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(formatter);
            }
        }
        // and Debezium's usual forms do take the fast way
        assertThat(IsoInstants.parseUtc("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(IsoInstants.parseUtc("9999-12-31T23:59:59.999999999Z")).isEqualTo(Instant.parse("9999-12-31T23:59:59.999999999Z"));
    }

    /** The result, or the exception's class and message. */
    private static Object outcome(ThrowingSupplier read) {
        Object[] result = new Object[1];
        Throwable t = catchThrowable(() -> result[0] = read.get());
        if (t != null) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        return result[0] instanceof byte[] b ? "bytes " + java.util.Arrays.toString(b) : result[0];
    }

    private interface ThrowingSupplier {
        Object get() throws Exception;
    }
}
