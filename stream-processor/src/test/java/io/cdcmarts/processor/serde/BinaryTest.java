package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinaryTest {

    private record Sample(long n, BigDecimal d, String s, LocalDate day, Long maybe, boolean b) {
    }

    private static final Serde<Sample> SAMPLE = Binary.serde("a sample", 7,
            (out, v) -> out.varLong(v.n()).decimal(v.d()).string(v.s()).date(v.day()).optLong(v.maybe()).bool(v.b()),
            in -> new Sample(in.varLong(), in.decimal(), in.string(), in.date(), in.optLong(), in.bool()));

    private static Sample roundTrip(Sample s) {
        return SAMPLE.deserializer().deserialize("t", SAMPLE.serializer().serialize("t", s));
    }

    @Test
    void fieldsRoundTripAtTheirEdges() {
        for (Sample s : List.of(
                new Sample(0, BigDecimal.ZERO, "", LocalDate.of(2024, 3, 1), null, false),
                new Sample(Long.MIN_VALUE, new BigDecimal("-12.340"), "ünïcødé 𝄞", LocalDate.MIN, Long.MAX_VALUE, true),
                new Sample(Long.MAX_VALUE, new BigDecimal(new BigInteger("123456789012345678901234567890"), 4), null, LocalDate.MAX, -1L, true),
                new Sample(-1, new BigDecimal("1E+5"), "x", LocalDate.of(1970, 1, 1), 0L, false))) {
            Sample back = roundTrip(s);
            assertThat(back).isEqualTo(s);
            assertThat(back.d().scale()).isEqualTo(s.d().scale());
        }
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(SAMPLE.serializer().serialize("t", null)).isNull();
        assertThat(SAMPLE.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void anotherFormatIsRefusedWithWhatToDo() {
        byte[] bytes = SAMPLE.serializer().serialize("t", new Sample(1, BigDecimal.ONE, "a", LocalDate.EPOCH, null, true));
        bytes[0] = 1;
        assertThatThrownBy(() -> SAMPLE.deserializer().deserialize("store-changelog", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a sample in store-changelog").hasMessageContaining("cdc-marts reprocess");
        assertThatThrownBy(() -> SAMPLE.deserializer().deserialize("t", "{\"n\":1}".getBytes()))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shortOrLongInputIsAnErrorNotAWrongValue() {
        byte[] bytes = SAMPLE.serializer().serialize("t", new Sample(300, BigDecimal.TEN, "abc", LocalDate.EPOCH, 5L, true));
        assertThatThrownBy(() -> SAMPLE.deserializer().deserialize("t", java.util.Arrays.copyOf(bytes, bytes.length - 2)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> SAMPLE.deserializer().deserialize("t", java.util.Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("left over");
    }

    @Test
    void jsonTreesKeepTheirNodeTypes() throws Exception {
        Serde<JsonNode> tree = Binary.serde("a tree", 1, Binary.Out::json, Binary.In::json);
        ObjectNode row = Json.MAPPER.createObjectNode()
                .put("int", 7).put("long", 9_007_199_254_740_993L).put("big", new BigInteger("123456789012345678901234567890"))
                .put("decimal", new BigDecimal("12.50")).put("double", -0.5).put("nan", Double.NaN)
                .put("text", "a \"quoted\" ✓").put("yes", true).put("no", false).put("float", 1.5f)
                .putNull("none");
        row.putArray("list").add(1).add("two").addNull().addObject().put("nested", new BigDecimal("0.001"));
        row.putObject("struct").put("scale", 2).put("value", "AQI=");
        JsonNode back = tree.deserializer().deserialize("t", tree.serializer().serialize("t", row));
        assertThat(back).isEqualTo(row);
        assertThat(back.get("int").isInt()).isTrue();
        assertThat(back.get("long").isLong()).isTrue();
        assertThat(back.get("decimal").decimalValue().scale()).isEqualTo(2);
        assertThat(back.get("text").textValue()).isEqualTo("a \"quoted\" ✓");
        assertThat(Json.MAPPER.writeValueAsString(back)).isEqualTo(Json.MAPPER.writeValueAsString(row));
    }

    @Test
    void aDecimalIsWrittenAsItsScaleAndUnscaledLongUpTo63BitsAndAsBytesBeyond() {
        // The encoding every store and internal topic already holds: scale, then false and the
        // unscaled value as a long while it has fewer than 63 bits, else true and its bytes.
        Serde<BigDecimal> decimal = Binary.serde("a decimal", 1, Binary.Out::decimal, Binary.In::decimal);
        Serde<BigDecimal> reference = Binary.serde("a decimal", 1, (out, d) -> {
            BigInteger unscaled = d.unscaledValue();
            out.varLong(d.scale());
            if (unscaled.bitLength() < 63) {
                out.bool(false).varLong(unscaled.longValue());
            } else {
                out.bool(true).bytes(unscaled.toByteArray());
            }
        }, Binary.In::decimal);
        BigInteger twoTo62 = BigInteger.ONE.shiftLeft(62);
        for (BigDecimal d : List.of(BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("-7184.57"), new BigDecimal("1E+5"),
                new BigDecimal("-3E-30"), new BigDecimal("999999999999999999"), new BigDecimal("-99999999999999999.9"),
                new BigDecimal("1000000000000000000"), new BigDecimal(twoTo62.subtract(BigInteger.ONE), 2),
                new BigDecimal(twoTo62, 2), new BigDecimal(twoTo62.negate(), -1),
                new BigDecimal(new BigInteger("123456789012345678901234567890"), 4))) {
            byte[] bytes = decimal.serializer().serialize("t", d);
            assertThat(bytes).as("bytes of %s", d).isEqualTo(reference.serializer().serialize("t", d));
            BigDecimal back = decimal.deserializer().deserialize("t", bytes);
            assertThat(back).isEqualTo(d);
            assertThat(back.scale()).isEqualTo(d.scale());
        }
    }
}
