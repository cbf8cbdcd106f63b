package io.cdcmarts.processor.serde;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class KeySerdesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void idKeysAreWrittenExactlyAsTheCaptureWritesThem() {
        assertThat(new String(IdKeySerde.INSTANCE.serializer().serialize("t", 42L), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":42}");
        assertThat(IdKeySerde.INSTANCE.serializer().serialize("t", null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":42}", "{ \"id\" : 42 }", "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":42}}"})
    void idKeysAreReadInTheirUsualForms(String key) {
        assertThat(IdKeySerde.INSTANCE.deserializer().deserialize("t", utf8(key))).isEqualTo(42L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "{\"id\":\"42\"}", "{\"id\":4.2}", "{\"uuid\":1}", "{\"id\":1,\"tenant\":2}", "not json",
            "{\"id\":}", "{\"id\":-}", "[]"})
    void anythingElseReadsAsNoKey(String key) {
        assertThat(IdKeySerde.INSTANCE.deserializer().deserialize("t", utf8(key))).isNull();
    }

    @Test
    void negativeAndLargeIdsRoundTrip() {
        for (long id : new long[]{-7, 0, 9_007_199_254_740_993L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            byte[] bytes = IdKeySerde.INSTANCE.serializer().serialize("t", id);
            assertThat(IdKeySerde.INSTANCE.deserializer().deserialize("t", bytes)).isEqualTo(id);
        }
    }

    @Test
    void martKeysAreOneFieldObjects() {
        FieldKeySerde<LocalDate> day = FieldKeySerde.ofDate("day");
        byte[] bytes = day.serializer().serialize("t", LocalDate.of(2024, 3, 1));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"day\":\"2024-03-01\"}");
        assertThat(day.deserializer().deserialize("t", bytes)).isEqualTo(LocalDate.of(2024, 3, 1));

        FieldKeySerde<String> category = FieldKeySerde.ofString("category");
        assertThat(new String(category.serializer().serialize("t", "t-\"shirts\""), StandardCharsets.UTF_8))
                .isEqualTo("{\"category\":\"t-\\\"shirts\\\"\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shoes", "t-\"shirts\"", "back\\slash", "tab\tand\nnewline", "\u0001ctrl", "ünïcødé ✓ 𝄞", ""})
    void handWrittenKeysAreTheBytesJacksonWrites(String text) throws Exception {
        FieldKeySerde<String> category = FieldKeySerde.ofString("category");
        assertThat(category.serializer().serialize("t", text))
                .isEqualTo(io.cdcmarts.common.Json.MAPPER.writeValueAsBytes(category.toJson(text)));
        assertThat(category.deserializer().deserialize("t", category.serializer().serialize("t", text))).isEqualTo(text);
        FieldKeySerde<Long> id = FieldKeySerde.ofLong("product_id");
        for (long v : new long[]{0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(id.serializer().serialize("t", v)).isEqualTo(io.cdcmarts.common.Json.MAPPER.writeValueAsBytes(id.toJson(v)));
        }
    }

    @Test
    void openFailureKeysNameTheTableAndTheRow() {
        byte[] bytes = new OpenFailureKeySerde("orders").serializer().serialize("t", 7L);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"table\":\"orders\",\"key\":{\"id\":7}}");
        assertThat(new OpenFailureKeySerde("orders").deserializer().deserialize("t", bytes)).isEqualTo(7L);
    }
}
