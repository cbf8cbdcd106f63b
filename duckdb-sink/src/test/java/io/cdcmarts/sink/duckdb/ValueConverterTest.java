package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.RawChangeEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueConverterTest {

    private static final ColumnSpec PRICE = new ColumnSpec("price", "bytes", ColumnSpec.DECIMAL,
            Map.of("scale", "2", "connect.decimal.precision", "10"), true);

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(String jsonValue, ColumnSpec spec, DuckType type) {
        return ValueConverter.convert("c", json(jsonValue), spec, type);
    }

    @Test
    void decimalsStayExactAndTakeTheColumnsScale() {
        Object v = convert("10.5", PRICE, DuckType.decimal(10, 2));
        assertThat(v).isEqualTo(new BigDecimal("10.50"));
        assertThat(convert("123456789012345678.1234567890", null, DuckType.decimal(38, 10)))
                .isEqualTo(new BigDecimal("123456789012345678.1234567890"));
        assertThat(convert("7", PRICE, DuckType.decimal(10, 2))).isEqualTo(new BigDecimal("7.00"));
    }

    @Test
    void aDecimalThatWouldBeRoundedOrOverflowIsRefused() {
        assertThatThrownBy(() -> convert("1.005", PRICE, DuckType.decimal(10, 2)))
                .isInstanceOf(ValueConverter.ValueException.class).hasMessageContaining("rounded").hasMessageContaining("'c'");
        assertThatThrownBy(() -> convert("123456789.5", PRICE, DuckType.decimal(10, 2)))
                .hasMessageContaining("integer digits");
    }

    @Test
    void decimalsWrittenAsBase64BytesAreDecodedWithTheirScale() {
        String unscaled = Base64.getEncoder().encodeToString(BigInteger.valueOf(1999).toByteArray());
        assertThat(convert("\"" + unscaled + "\"", PRICE, DuckType.decimal(10, 2))).isEqualTo(new BigDecimal("19.99"));
        String variable = "{\"scale\":3,\"value\":\"" + Base64.getEncoder().encodeToString(BigInteger.valueOf(-12345).toByteArray()) + "\"}";
        assertThat(convert(variable, null, DuckType.decimal(38, 10))).isEqualTo(new BigDecimal("-12.3450000000"));
    }

    @Test
    void zonedTimestampsAreInstants() {
        ColumnSpec spec = new ColumnSpec("t", "string", ColumnSpec.ZONED_TIMESTAMP, null, true);
        assertThat(convert("\"2024-03-10T12:34:56.123456+02:00\"", spec, DuckType.TIMESTAMPTZ))
                .isEqualTo(Instant.parse("2024-03-10T10:34:56.123456Z"));
        assertThat(convert("\"2024-03-10T10:34:56Z\"", spec, DuckType.TIMESTAMPTZ))
                .isEqualTo(Instant.parse("2024-03-10T10:34:56Z"));
    }

    @Test
    void datesAreDaysSinceTheEpoch() {
        ColumnSpec spec = new ColumnSpec("d", "int32", ColumnSpec.DATE, null, true);
        assertThat(convert("19000", spec, DuckType.DATE)).isEqualTo(LocalDate.of(2022, 1, 8));
        assertThat(convert("-1", spec, DuckType.DATE)).isEqualTo(LocalDate.of(1969, 12, 31));
        assertThat(convert("\"2024-02-29\"", null, DuckType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
    }

    @Test
    void timestampsAndTimesByTheirUnit() {
        ColumnSpec micros = new ColumnSpec("t", "int64", ColumnSpec.MICRO_TIMESTAMP, null, true);
        ColumnSpec millis = new ColumnSpec("t", "int64", ColumnSpec.TIMESTAMP, null, true);
        assertThat(convert("1700000000123456", micros, DuckType.TIMESTAMP))
                .isEqualTo(LocalDateTime.parse("2023-11-14T22:13:20.123456"));
        assertThat(convert("1700000000123", millis, DuckType.TIMESTAMP))
                .isEqualTo(LocalDateTime.parse("2023-11-14T22:13:20.123"));
        ColumnSpec microTime = new ColumnSpec("t", "int64", ColumnSpec.MICRO_TIME, null, true);
        assertThat(convert("3723000001", microTime, DuckType.TIME)).isEqualTo(LocalTime.parse("01:02:03.000001"));
    }

    @Test
    void integersMustBeWholeAndInRange() {
        assertThat(convert("42", null, DuckType.BIGINT)).isEqualTo(42L);
        assertThat(convert("42", null, DuckType.SMALLINT)).isEqualTo((short) 42);
        assertThatThrownBy(() -> convert("40000", null, DuckType.SMALLINT)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> convert("1.5", null, DuckType.INTEGER)).hasMessageContaining("whole");
        assertThatThrownBy(() -> convert("\"42\"", null, DuckType.BIGINT)).hasMessageContaining("expected an integer");
    }

    @Test
    void textUuidJsonAndBytes() {
        UUID id = UUID.randomUUID();
        assertThat(convert("\"" + id + "\"", null, DuckType.UUID)).isEqualTo(id);
        ColumnSpec json = new ColumnSpec("j", "string", ColumnSpec.JSON, null, true);
        assertThat(convert("\"{\\\"a\\\": 1}\"", json, DuckType.JSON)).isEqualTo("{\"a\": 1}");
        assertThat(convert("{\"a\":[1,2]}", null, DuckType.JSON)).isEqualTo("{\"a\":[1,2]}");
        assertThatThrownBy(() -> convert("\"{not json\"", json, DuckType.JSON)).hasMessageContaining("not valid JSON");
        assertThat((byte[]) convert("\"aGk=\"", null, DuckType.BLOB)).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(convert("12", null, DuckType.VARCHAR)).isEqualTo("12");
        assertThat(convert("null", null, DuckType.VARCHAR)).isNull();
    }

    @Test
    void recognisesDebeziumsToastPlaceholderInEveryForm() {
        // The placeholder starts with NUL: JSON escapes it.
        String escaped = RawChangeEvent.UNAVAILABLE_VALUE.replace("\u0000", "\\u0000");
        assertThat(ValueConverter.isUnavailable(json("\"" + escaped + "\""))).isTrue();
        String bytes = Base64.getEncoder().encodeToString(RawChangeEvent.UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8));
        assertThat(ValueConverter.isUnavailable(json("\"" + bytes + "\""))).isTrue();
        assertThat(ValueConverter.isUnavailable(json("[\"" + escaped + "\"]"))).isTrue();
        assertThat(ValueConverter.isUnavailable(json("\"a real value\""))).isFalse();
        // Debezium's default placeholder is an ordinary text now (capture configures its own).
        assertThat(ValueConverter.isUnavailable(json("\"" + RawChangeEvent.DEBEZIUM_DEFAULT_PLACEHOLDER + "\""))).isFalse();
        assertThat(ValueConverter.isUnavailable(null)).isFalse();
    }
}
