package io.cdcmarts.capture.kafka;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectJsonWriterTest {

    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.t.Value").optional()
            .field("i8", Schema.OPTIONAL_INT8_SCHEMA).field("i16", Schema.OPTIONAL_INT16_SCHEMA)
            .field("i32", Schema.INT32_SCHEMA).field("i64", Schema.OPTIONAL_INT64_SCHEMA)
            .field("f32", Schema.OPTIONAL_FLOAT32_SCHEMA).field("f64", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("b", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("s", SchemaBuilder.string().optional().defaultValue("dflt").build())
            .field("bytes", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("dec", Decimal.builder(2).parameter("connect.decimal.precision", "10").optional().build())
            .field("tiny", Decimal.builder(9).optional().build())
            .field("date", Date.builder().optional().build()).field("time", Time.builder().optional().build())
            .field("ts", Timestamp.builder().optional().build())
            .field("zoned", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).optional().build())
            .field("micros", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).optional().build())
            .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).optional().build())
            .field("pairs", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).optional().build())
            .field("nested", SchemaBuilder.struct().optional().field("x", Schema.OPTIONAL_STRING_SCHEMA).build())
            .field("qu\"ote ü\t€", Schema.OPTIONAL_INT32_SCHEMA)
            .field("smile \uD83D\uDE00", Schema.OPTIONAL_INT32_SCHEMA) // outside the BMP: escaped as a surrogate pair
            .build();

    private final ConnectJsonWriter writer = new ConnectJsonWriter();
    private final JsonConverter converter = converter();

    private static JsonConverter converter() {
        JsonConverter c = new JsonConverter();
        c.configure(KafkaChangeConsumer.converterConfig(false), false);
        return c;
    }

    private String converted(Schema schema, Object value) {
        return new String(converter.fromConnectData("t", schema, value), StandardCharsets.UTF_8);
    }

    private String written(Schema schema, Object value) {
        return new String(writer.write(schema, value), StandardCharsets.UTF_8);
    }

    private static List<Struct> rows() {
        Map<String, Integer> attrs = new LinkedHashMap<>();
        attrs.put("a", 1);
        attrs.put("b\"\\", null);
        Map<Integer, String> pairs = new LinkedHashMap<>();
        pairs.put(7, "seven");
        pairs.put(-1, "ü\u0000\t\n€😀");
        List<String> tags = new ArrayList<>();
        tags.add("x");
        tags.add(null);
        List<Struct> rows = new ArrayList<>();
        rows.add(new Struct(ROW).put("i32", 0));
        rows.add(new Struct(ROW).put("i8", (byte) -128).put("i16", (short) 32767).put("i32", Integer.MIN_VALUE)
                .put("i64", Long.MAX_VALUE).put("f32", 1.1f).put("f64", 0.1 + 0.2).put("b", true)
                .put("s", "quote \" backslash \\ control \u0001 nul \u0000 tab \t line\n ü € 😀 \u2028")
                .put("bytes", new byte[] {0, 1, -1, 127, -128}).put("dec", new BigDecimal("12345678.90"))
                .put("tiny", new BigDecimal("0.000000001")).put("date", new java.util.Date(86_400_000L * 19_000))
                .put("time", new java.util.Date(45_296_789L)).put("ts", new java.util.Date(1_700_000_000_123L))
                .put("zoned", "2024-03-01T10:34:56.789012Z").put("micros", 1_700_000_000_123_456L).put("tags", tags)
                .put("attrs", attrs).put("pairs", pairs).put("nested", new Struct(ROW.field("nested").schema()).put("x", "y"))
                .put("qu\"ote ü\t€", 7).put("smile \uD83D\uDE00", 8));
        rows.add(new Struct(ROW).put("i32", 42).put("f32", Float.NaN).put("f64", Double.NEGATIVE_INFINITY)
                .put("f64", 1e300).put("dec", new BigDecimal("-0.00")).put("bytes", new byte[0]).put("b", false)
                .put("tags", List.of()).put("attrs", Map.of()).put("s", ""));
        rows.add(new Struct(ROW).put("i32", 1).put("f64", Double.NaN).put("f32", -0.0f).put("bytes", ByteBuffer.wrap(new byte[] {9, 8})));
        return rows;
    }

    @Test
    void writesWhatKafkasJsonConverterWritesForEveryConnectType() {
        for (Struct row : rows()) {
            assertThat(written(ROW, row)).isEqualTo(converted(ROW, row));
        }
    }

    @Test
    void writesTopLevelPrimitivesAndNullsAsTheConverterDoes() {
        assertThat(written(Schema.OPTIONAL_STRING_SCHEMA, null)).isEqualTo(converted(Schema.OPTIONAL_STRING_SCHEMA, null));
        assertThat(written(Schema.INT64_SCHEMA, 5L)).isEqualTo(converted(Schema.INT64_SCHEMA, 5L));
        assertThat(written(ROW, null)).isEqualTo(converted(ROW, null));
    }

    @Test
    void aStructIsWrittenUnderASchemaWithFewerFieldsByName() {
        // Given a struct of the full row, and a schema of two of its fields in another order
        Struct row = rows().get(1);
        Schema fewer = SchemaBuilder.struct().field("s", ROW.field("s").schema()).field("i32", Schema.INT32_SCHEMA).build();

        // Then
        assertThat(written(fewer, row)).isEqualTo(converted(fewer, new Struct(fewer).put("s", row.get("s")).put("i32", row.get("i32"))));
    }

    @Test
    void oneWriterServesStructsOfSeveralSchemasUnderOneSchemaInAnyOrder() {
        // Given two struct schemas holding the written schema's fields at other positions, one with a default
        Schema fewer = SchemaBuilder.struct().field("s", Schema.OPTIONAL_STRING_SCHEMA).field("i32", Schema.INT32_SCHEMA).build();
        Schema wide = SchemaBuilder.struct().field("i32", Schema.INT32_SCHEMA).field("pad", Schema.OPTIONAL_INT64_SCHEMA)
                .field("s", SchemaBuilder.string().optional().defaultValue("dflt").build()).build();
        Schema narrow = SchemaBuilder.struct().field("s", Schema.OPTIONAL_STRING_SCHEMA).field("i32", Schema.INT32_SCHEMA).build();
        List<Struct> structs = List.of(new Struct(wide).put("i32", 1).put("s", "a"), new Struct(narrow).put("i32", 2),
                new Struct(wide).put("i32", 3), new Struct(narrow).put("i32", 4).put("s", "b"), new Struct(rows().get(1).schema()).put("i32", 5));

        for (Struct struct : structs) {
            // Then each is written as the converter writes a struct of the written schema with its values
            // (a null where the struct holds none, its schema's default not filled in)
            Struct expected = new Struct(fewer).put("s", struct.getWithoutDefault("s")).put("i32", struct.get("i32"));
            assertThat(written(fewer, struct)).isEqualTo(converted(fewer, expected));
        }
        // and a struct without one of the written schema's fields fails as the converter's lookup does
        Schema lacking = SchemaBuilder.struct().field("i32", Schema.INT32_SCHEMA).build();
        assertThatThrownBy(() -> writer.write(fewer, new Struct(lacking).put("i32", 6))).isInstanceOf(DataException.class);
    }

    @Test
    void theVerifiedWriterLeavesANameTheDirectWriterCannotWriteToTheConverter() {
        // Given a field name with an unpaired surrogate, which Jackson refuses from an encoded name
        Schema odd = SchemaBuilder.struct().field("x\uD800", Schema.OPTIONAL_INT32_SCHEMA).build();
        Struct value = new Struct(odd).put("x\uD800", 1);
        VerifiedJsonWriter verified = new VerifiedJsonWriter(converter);

        // Then the value is the converter's, not an exception of the direct writer
        assertThat(new String(verified.write("t", odd, value, () -> value), StandardCharsets.UTF_8)).isEqualTo(converted(odd, value));
    }

    @Test
    void aRequiredNullFailsAsInTheConverter() {
        Struct row = new Struct(ROW);

        assertThatThrownBy(() -> converter.fromConnectData("t", ROW, row)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> writer.write(ROW, row)).isInstanceOf(DataException.class);
    }

    @Test
    void theVerifiedWriterKeepsToTheConverterWhereTheDirectWriterDiffers() {
        // Given a converter that writes decimals as base64, which the direct writer does not
        JsonConverter base64 = new JsonConverter();
        Map<String, Object> config = KafkaChangeConsumer.converterConfig(false);
        config.put("decimal.format", "BASE64");
        base64.configure(config, false);
        VerifiedJsonWriter verified = new VerifiedJsonWriter(base64);
        // and the first value of the schema one where they differ (the check is made on that one)
        List<Struct> rows = new ArrayList<>(rows());
        rows.add(0, rows.remove(1));

        for (Struct row : rows) {
            // Then every value is the converter's, the first one and those after it
            assertThat(new String(verified.write("t", ROW, row, () -> row), StandardCharsets.UTF_8))
                    .isEqualTo(new String(base64.fromConnectData("t", ROW, row), StandardCharsets.UTF_8));
        }
    }
}
