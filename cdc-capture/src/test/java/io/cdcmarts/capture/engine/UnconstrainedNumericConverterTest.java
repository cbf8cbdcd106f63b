package io.cdcmarts.capture.engine;

import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.RelationalColumn;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class UnconstrainedNumericConverterTest {

    @Test
    void onlyANumericWithoutPrecisionIsConverted() {
        assertThat(UnconstrainedNumericConverter.isUnconstrainedNumeric(column("numeric", OptionalInt.of(131089), OptionalInt.of(0))))
                .isTrue();
        assertThat(UnconstrainedNumericConverter.isUnconstrainedNumeric(column("numeric", OptionalInt.empty(), OptionalInt.empty())))
                .isTrue();
        assertThat(UnconstrainedNumericConverter.isUnconstrainedNumeric(column("numeric", OptionalInt.of(12), OptionalInt.of(4))))
                .as("numeric(12,4) stays Debezium's Decimal").isFalse();
        assertThat(UnconstrainedNumericConverter.isUnconstrainedNumeric(column("numeric", OptionalInt.of(10), OptionalInt.of(0))))
                .as("numeric(10)").isFalse();
        assertThat(UnconstrainedNumericConverter.isUnconstrainedNumeric(column("int4", OptionalInt.empty(), OptionalInt.empty())))
                .isFalse();
    }

    @Test
    void valuesBecomePostgresText() {
        // Given what JDBC (snapshot) and pgoutput (stream) hand over
        assertThat(UnconstrainedNumericConverter.text(new BigDecimal("1E-20"))).isEqualTo("0.00000000000000000001");
        assertThat(UnconstrainedNumericConverter.text(new SpecialValueDecimal(new BigDecimal("123456789012345678901234567890.123"))))
                .isEqualTo("123456789012345678901234567890.123");
        assertThat(UnconstrainedNumericConverter.text(new BigDecimal("1.50"))).as("scale kept").isEqualTo("1.50");
        assertThat(UnconstrainedNumericConverter.text(SpecialValueDecimal.NOT_A_NUMBER)).isEqualTo("NaN");
        assertThat(UnconstrainedNumericConverter.text(SpecialValueDecimal.POSITIVE_INF)).isEqualTo("Infinity");
        assertThat(UnconstrainedNumericConverter.text(SpecialValueDecimal.NEGATIVE_INF)).isEqualTo("-Infinity");
        assertThat(UnconstrainedNumericConverter.text(Double.NaN)).isEqualTo("NaN");
        assertThat(UnconstrainedNumericConverter.text(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(UnconstrainedNumericConverter.text("NaN")).isEqualTo("NaN");
        assertThat(UnconstrainedNumericConverter.text(null)).isNull();
    }

    private static RelationalColumn column(String type, OptionalInt length, OptionalInt scale) {
        return new RelationalColumn() {
            @Override public int jdbcType() { return 0; }
            @Override public int nativeType() { return 0; }
            @Override public String typeName() { return type; }
            @Override public String typeExpression() { return type; }
            @Override public OptionalInt length() { return length; }
            @Override public OptionalInt scale() { return scale; }
            @Override public boolean isOptional() { return true; }
            @Override public Object defaultValue() { return null; }
            @Override public boolean hasDefaultValue() { return false; }
            @Override public String name() { return "n"; }
            @Override public String dataCollection() { return "public.t"; }
        };
    }
}
