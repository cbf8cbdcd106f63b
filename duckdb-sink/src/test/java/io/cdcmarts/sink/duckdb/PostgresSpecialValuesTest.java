package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.core.JsonParser;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The values issue 9 found lost or dead-lettered, as Debezium writes them: floats under the JSON
 * converter's type names, intervals as ISO 8601 text, ±infinity timestamps and dates; and issue 10's
 * semantic check (a value of the wrong JSON kind for its declared type is refused). Each through
 * both readers, the tree one ({@link ValueConverter}) and the streaming one ({@link ValueReader}).
 */
class PostgresSpecialValuesTest {

    private static final ColumnSpec ZONED = new ColumnSpec("order_date", "string", ColumnSpec.ZONED_TIMESTAMP, Map.of(), true);
    private static final ColumnSpec MICROS = new ColumnSpec("ts", "int64", ColumnSpec.MICRO_TIMESTAMP, Map.of(), true);
    private static final ColumnSpec MILLIS = new ColumnSpec("ts", "int64", ColumnSpec.TIMESTAMP, Map.of(), true);
    private static final ColumnSpec DAYS = new ColumnSpec("dt", "int32", ColumnSpec.DATE, Map.of(), true);
    private static final ColumnSpec INTERVAL = new ColumnSpec("iv", "string", TypeMapping.INTERVAL, Map.of(), true);

    /** Both readers must agree; returns their (equal) value. */
    private static Object read(String json, ColumnSpec spec, DuckType type) throws Exception {
        Object tree = ValueConverter.convert("c", Json.MAPPER.readTree(json), spec, type);
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            p.nextToken();
            assertThat(ValueReader.read("c", p, spec, type)).as("streamed %s", json).isEqualTo(tree);
        }
        return tree;
    }

    @Test
    void theJsonConvertersFloatNamesMapToFloatAndDouble() {
        assertThat(TypeMapping.of(new ColumnSpec("r", "float", null, Map.of(), true))).isEqualTo(DuckType.FLOAT);
        assertThat(TypeMapping.of(new ColumnSpec("d", "double", null, Map.of(), true))).isEqualTo(DuckType.DOUBLE);
        assertThat(TypeMapping.of(INTERVAL)).isEqualTo(DuckType.INTERVAL);
    }

    @Test
    void floatSpecialsArriveAsStrings() throws Exception {
        ColumnSpec d = new ColumnSpec("d", "double", null, Map.of(), true);
        assertThat(read("\"NaN\"", d, DuckType.DOUBLE)).isEqualTo(Double.NaN);
        assertThat(read("\"-Infinity\"", d, DuckType.DOUBLE)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(read("1.5", new ColumnSpec("r", "float", null, Map.of(), true), DuckType.FLOAT)).isEqualTo(1.5f);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "P1Y2M3DT4H5M6.78S|14 months 3 days 14706780000 microseconds",
            "P0Y1M0DT0H0M0S|1 months 0 days 0 microseconds",
            "P-1Y0M-2DT0H0M1S|-12 months -2 days 1000000 microseconds",
            "P0Y0M0DT-3H0M-0.000001S|0 months 0 days -10800000001 microseconds",
            "PT0S|0 months 0 days 0 microseconds"})
    void intervalsKeepMonthsDaysAndMicrosApart(String iso, String duckdb) throws Exception {
        assertThat(read("\"" + iso + "\"", INTERVAL, DuckType.INTERVAL)).isEqualTo(duckdb);
    }

    @Test
    void anIntervalThatIsNotIsoOrFinerThanMicrosIsRefused() {
        assertThatThrownBy(() -> read("\"1 mon\"", INTERVAL, DuckType.INTERVAL)).hasMessageContaining("ISO 8601");
        assertThatThrownBy(() -> read("\"PT0.0000001S\"", INTERVAL, DuckType.INTERVAL)).hasMessageContaining("microsecond");
    }

    @Test
    void debeziumsInfinitiesBecomeInfinities() throws Exception {
        assertThat(read("9223372036825200000", MICROS, DuckType.TIMESTAMP)).isSameAs(LocalDateTime.MAX);
        assertThat(read("-9223372036832400000", MICROS, DuckType.TIMESTAMP)).isSameAs(LocalDateTime.MIN);
        assertThat(read("9223372036825200", MILLIS, DuckType.TIMESTAMP)).isSameAs(LocalDateTime.MAX);
        assertThat(read("\"infinity\"", ZONED, DuckType.TIMESTAMPTZ)).isSameAs(Instant.MAX);
        assertThat(read("\"-infinity\"", ZONED, DuckType.TIMESTAMPTZ)).isSameAs(Instant.MIN);
        assertThat(read(Long.toString(Infinities.DEBEZIUM_DATE_INFINITY), DAYS, DuckType.DATE)).isSameAs(LocalDate.MAX);
        assertThat(read(Long.toString(Infinities.DEBEZIUM_DATE_MINUS_INFINITY), DAYS, DuckType.DATE)).isSameAs(LocalDate.MIN);
        assertThat(read(Long.toString(Infinities.SNAPSHOT_DATE_INFINITY), DAYS, DuckType.DATE)).isSameAs(LocalDate.MAX);
        assertThat(read(Long.toString(Infinities.SNAPSHOT_DATE_MINUS_INFINITY), DAYS, DuckType.DATE)).isSameAs(LocalDate.MIN);
        // An ordinary extreme value stays what it is.
        assertThat(read("-62135596800000000", MICROS, DuckType.TIMESTAMP)).isEqualTo(LocalDateTime.parse("0001-01-01T00:00:00"));
    }

    @Test
    void aNumberWhereTheSchemaDeclaresAStringTypeIsRefused() {
        // Issue 10: read as microseconds it was stored as 1970-01-20T16:13:20Z.
        assertThatThrownBy(() -> read("1700000000000", ZONED, DuckType.TIMESTAMPTZ))
                .isInstanceOf(ValueConverter.ValueException.class)
                .hasMessageContaining("column 'c'").hasMessageContaining("io.debezium.time.ZonedTimestamp")
                .hasMessageContaining("a number");
        assertThatThrownBy(() -> read("\"12\"", new ColumnSpec("n", "int64", null, Map.of(), true), DuckType.BIGINT))
                .hasMessageContaining("an integer");
        assertThatThrownBy(() -> read("17", new ColumnSpec("b", "boolean", null, Map.of(), true), DuckType.BOOLEAN))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> read("\"19000\"", DAYS, DuckType.DATE)).hasMessageContaining("a string");
    }
}
