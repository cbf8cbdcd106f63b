package io.cdcmarts.sink.duckdb;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgArraysTest {

    private static final DuckType INTS = DuckType.list(DuckType.INTEGER);
    private static final DuckType TEXTS = DuckType.VARCHAR_LIST;

    @Test
    void oneDimensionWithNullElementsAndEmpty() {
        assertThat(PgArrays.parse("{1,NULL,-3}", INTS)).isEqualTo(Arrays.asList("1", null, "-3"));
        assertThat(PgArrays.parse("{}", INTS)).isEmpty();
        assertThat(PgArrays.parse("{}", DuckType.list(DuckType.INTEGER, 2))).as("an empty array of any declared dimensions").isEmpty();
    }

    @Test
    void nDimensionalArraysNest() {
        assertThat(PgArrays.parse("{{1,2},{3,NULL}}", DuckType.list(DuckType.INTEGER, 2)))
                .isEqualTo(List.of(List.of("1", "2"), Arrays.asList("3", null)));
        assertThat(PgArrays.parse("{{{1}},{{2}}}", DuckType.list(DuckType.BIGINT, 3)))
                .isEqualTo(List.of(List.of(List.of("1")), List.of(List.of("2"))));
        assertThat(PgArrays.parse("[0:1]={7,8}", INTS)).as("lower bounds are dropped").isEqualTo(List.of("7", "8"));
    }

    @Test
    void otherDimensionsThanDeclaredAreRefused() {
        assertThatThrownBy(() -> PgArrays.parse("{{1,2}}", INTS)).isInstanceOf(ValueConverter.ValueException.class)
                .hasMessageContaining("dimensions");
        assertThatThrownBy(() -> PgArrays.parse("{1,2}", DuckType.list(DuckType.INTEGER, 2))).hasMessageContaining("dimensions");
    }

    @Test
    void quotedTextKeepsEveryCharacter() {
        // Given PostgreSQL's quoting: commas, braces, spaces, quotes, backslashes, the word NULL
        String literal = "{\"a,b\",\"NULL\",NULL,\"q\\\"uote\",\"back\\\\slash\",\"\",\" padded \",\"{x}\",plain}";
        assertThat(PgArrays.parse(literal, TEXTS))
                .isEqualTo(Arrays.asList("a,b", "NULL", null, "q\"uote", "back\\slash", "", " padded ", "{x}", "plain"));
    }

    @Test
    void elementsBecomeTheTextDuckDbCastsFromExactly() {
        assertThat(PgArrays.element("t", DuckType.BOOLEAN)).isEqualTo("true");
        assertThat(PgArrays.element("NaN", DuckType.DOUBLE)).isEqualTo("NaN");
        assertThat(PgArrays.element("-Infinity", DuckType.FLOAT)).isEqualTo("-Infinity");
        assertThat(PgArrays.element("1e+20", DuckType.DOUBLE)).isEqualTo("1e+20");
        assertThat(PgArrays.element("0044-03-15 BC", DuckType.DATE)).isEqualTo("0044-03-15 (BC)");
        assertThat(PgArrays.element("infinity", DuckType.DATE)).isEqualTo("infinity");
        assertThat(PgArrays.element("2024-02-29 12:34:56.789012+02", DuckType.TIMESTAMPTZ)).isEqualTo("2024-02-29 12:34:56.789012+02");
        assertThat(PgArrays.element("0044-03-15 12:00:00+00:53:28 BC", DuckType.TIMESTAMPTZ)).isEqualTo("0044-03-15 (BC) 12:00:00+00:53:28");
        assertThat(PgArrays.element("2024-02-29 12:34:56", DuckType.TIMESTAMP)).isEqualTo("2024-02-29 12:34:56");
        assertThat(PgArrays.element("24:00:00", DuckType.TIME)).isEqualTo("23:59:59.999999");
        assertThat(PgArrays.element("12:00:00+05:30", DuckType.TIMETZ)).isEqualTo("12:00:00+05:30");
        assertThat(PgArrays.element("\\x00ff5c", DuckType.BLOB)).isEqualTo("\\x00\\xFF\\x5C");
        assertThat(PgArrays.element("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", DuckType.UUID)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(PgArrays.element("{\"k\": [1, 2]}", DuckType.JSON)).isEqualTo("{\"k\": [1, 2]}");
    }

    @Test
    void anElementDuckDbCannotHoldIsRefusedNotCast() {
        assertThatThrownBy(() -> PgArrays.element("2147483648", DuckType.INTEGER)).isInstanceOf(ValueConverter.ValueException.class);
        assertThatThrownBy(() -> PgArrays.element("294276-12-31 23:59:59", DuckType.TIMESTAMP)).hasMessageContaining("294247");
        assertThatThrownBy(() -> PgArrays.element("1e39", DuckType.FLOAT)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PgArrays.element("\\001", DuckType.BLOB)).hasMessageContaining("hex");
        assertThatThrownBy(() -> PgArrays.parse("{1,2", INTS)).hasMessageContaining("ends early");
        assertThatThrownBy(() -> PgArrays.parse("{1}x", INTS)).hasMessageContaining("after the array");
    }

    @Test
    void aColumnValueIsConvertedThroughTheParser() {
        // Given the text capture sends for an array column
        Object v = ValueConverter.convert("c", com.fasterxml.jackson.databind.node.TextNode.valueOf("{{1,2},{3,4}}"), null,
                DuckType.list(DuckType.INTEGER, 2));
        assertThat(v).isEqualTo(List.of(List.of("1", "2"), List.of("3", "4")));
        assertThatThrownBy(() -> ValueConverter.convert("c", com.fasterxml.jackson.databind.node.TextNode.valueOf("{x}"), null, INTS))
                .hasMessageContaining("'c'").hasMessageContaining("INTEGER[]");
    }
}
