package io.cdcmarts.sink.duckdb;

import io.cdcmarts.common.event.ColumnSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeMappingTest {

    private static DuckType map(String type, String logical, Map<String, String> params) {
        return TypeMapping.of(new ColumnSpec("c", type, logical, params, true));
    }

    private static DuckType map(String type, String logical) {
        return map(type, logical, Map.of());
    }

    @Test
    void integersByWidth() {
        assertThat(map("int16", null)).isEqualTo(DuckType.SMALLINT);
        assertThat(map("int32", null)).isEqualTo(DuckType.INTEGER);
        assertThat(map("int64", null)).isEqualTo(DuckType.BIGINT);
        assertThat(map("int8", null)).isEqualTo(DuckType.TINYINT);
    }

    @Test
    void numericKeepsItsPrecisionAndScale() {
        assertThat(map("bytes", ColumnSpec.DECIMAL, Map.of("scale", "2", "connect.decimal.precision", "10")))
                .isEqualTo(DuckType.decimal(10, 2));
        assertThat(map("bytes", ColumnSpec.DECIMAL, Map.of("scale", "2", "connect.decimal.precision", "18")).sql())
                .isEqualTo("DECIMAL(18,2)");
    }

    @Test
    void numericWithoutPrecisionIsTheWidestDecimalWithRoomForFractions() {
        assertThat(map("bytes", ColumnSpec.DECIMAL, Map.of("scale", "2"))).isEqualTo(DuckType.decimal(38, 10));
        assertThat(map("bytes", ColumnSpec.DECIMAL, Map.of("scale", "14"))).isEqualTo(DuckType.decimal(38, 14));
        assertThat(map("struct", ColumnSpec.VARIABLE_SCALE_DECIMAL)).as("topics written before capture sent text")
                .isEqualTo(DuckType.decimal(38, 10));
    }

    @Test
    void numericWithoutPrecisionSentAsTextStaysText() {
        assertThat(map("string", TypeMapping.UNCONSTRAINED_NUMERIC)).isEqualTo(DuckType.VARCHAR);
    }

    @Test
    void numericBeyondDuckDbsWidthIsCappedAndNegativeScalesAreIntegers() {
        assertThat(map("bytes", ColumnSpec.DECIMAL, Map.of("scale", "4", "connect.decimal.precision", "50")))
                .isEqualTo(DuckType.decimal(38, 4));
        assertThat(map("bytes", ColumnSpec.DECIMAL, Map.of("scale", "-3", "connect.decimal.precision", "5")))
                .isEqualTo(DuckType.decimal(8, 0));
    }

    @Test
    void debeziumTimeTypes() {
        assertThat(map("string", ColumnSpec.ZONED_TIMESTAMP)).isEqualTo(DuckType.TIMESTAMPTZ);
        assertThat(map("int32", ColumnSpec.DATE)).isEqualTo(DuckType.DATE);
        assertThat(map("int64", ColumnSpec.MICRO_TIMESTAMP)).isEqualTo(DuckType.TIMESTAMP);
        assertThat(map("int64", ColumnSpec.TIMESTAMP)).isEqualTo(DuckType.TIMESTAMP);
        assertThat(map("int64", ColumnSpec.NANO_TIMESTAMP)).isEqualTo(DuckType.TIMESTAMP);
        assertThat(map("int64", ColumnSpec.MICRO_TIME)).isEqualTo(DuckType.TIME);
        assertThat(map("int32", ColumnSpec.TIME)).isEqualTo(DuckType.TIME);
        assertThat(map("string", ColumnSpec.ZONED_TIME)).isEqualTo(DuckType.TIMETZ);
    }

    @Test
    void otherSemanticTypes() {
        assertThat(map("string", ColumnSpec.UUID)).isEqualTo(DuckType.UUID);
        assertThat(map("string", ColumnSpec.JSON)).isEqualTo(DuckType.JSON);
        assertThat(map("string", "io.debezium.data.Enum")).isEqualTo(DuckType.VARCHAR);
        assertThat(map("string", null)).isEqualTo(DuckType.VARCHAR);
        assertThat(map("bytes", null)).isEqualTo(DuckType.BLOB);
        assertThat(map("boolean", null)).isEqualTo(DuckType.BOOLEAN);
        assertThat(map("float64", null)).isEqualTo(DuckType.DOUBLE);
        assertThat(map("float32", null)).isEqualTo(DuckType.FLOAT);
        assertThat(map("array", null)).isEqualTo(DuckType.JSON);
        assertThat(map("struct", null)).isEqualTo(DuckType.JSON);
    }

    @Test
    void capturesArraysBecomeListsOfTheirElementTypeNestedAsDeclared() {
        assertThat(map("string", TypeMapping.PG_ARRAY, Map.of("element", "int4", "dimensions", "1")).sql()).isEqualTo("INTEGER[]");
        assertThat(map("string", TypeMapping.PG_ARRAY, Map.of("element", "int8", "dimensions", "3")).sql()).isEqualTo("BIGINT[][][]");
        assertThat(map("string", TypeMapping.PG_ARRAY, Map.of("element", "timestamptz", "dimensions", "1")).sql())
                .isEqualTo("TIMESTAMP WITH TIME ZONE[]");
        assertThat(map("string", TypeMapping.PG_ARRAY, Map.of("element", "numeric", "dimensions", "1")))
                .as("exact text, as a numeric without precision").isEqualTo(DuckType.VARCHAR_LIST);
        assertThat(map("string", TypeMapping.PG_ARRAY, Map.of("element", "mood"))).as("an enum; no dimensions: 1")
                .isEqualTo(DuckType.VARCHAR_LIST);
        assertThat(map("string", TypeMapping.PG_ARRAY, Map.of("element", "bytea", "dimensions", "2")).staged().sql())
                .as("staged as text").isEqualTo("VARCHAR[][]");
        assertThat(DuckType.list(DuckType.INTEGER).appendable()).isFalse();
        assertThat(DuckType.VARCHAR_LIST.appendable()).isTrue();
        assertThatThrownBy(() -> map("string", TypeMapping.PG_ARRAY, Map.of("element", "int4", "dimensions", "x")))
                .hasMessageContaining("'c'").hasMessageContaining("'x'");
    }

    @Test
    void unknownConnectTypeIsRefusedByName() {
        assertThatThrownBy(() -> map("int128", null)).hasMessageContaining("'c'").hasMessageContaining("int128");
    }

    @Test
    void everyTypeReadsBackFromDuckDbsSpelling() {
        for (DuckType t : new DuckType[]{DuckType.BOOLEAN, DuckType.TINYINT, DuckType.SMALLINT, DuckType.INTEGER,
                DuckType.BIGINT, DuckType.FLOAT, DuckType.DOUBLE, DuckType.decimal(18, 2), DuckType.VARCHAR,
                DuckType.JSON, DuckType.UUID, DuckType.BLOB, DuckType.DATE, DuckType.TIME, DuckType.TIMETZ,
                DuckType.TIMESTAMP, DuckType.TIMESTAMPTZ, DuckType.VARCHAR_LIST, DuckType.INTEGER_LIST, DuckType.BIGINT_LIST,
                DuckType.list(DuckType.TIMESTAMPTZ), DuckType.list(DuckType.decimal(12, 4), 3), DuckType.list(DuckType.UUID, 2)}) {
            assertThat(DuckType.parse(t.sql())).as(t.sql()).isEqualTo(t);
        }
        assertThatThrownBy(() -> DuckType.parse("MAP(VARCHAR, INTEGER)")).hasMessageContaining("MAP(VARCHAR, INTEGER)");
    }
}
