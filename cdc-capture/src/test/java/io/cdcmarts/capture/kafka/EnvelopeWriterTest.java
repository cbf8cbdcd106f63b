package io.cdcmarts.capture.kafka;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeWriterTest {

    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.items.Value").optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("price", Decimal.builder(2).parameter("connect.decimal.precision", "10")
                    .defaultValue(new BigDecimal("0.00")).build())
            .field("note", SchemaBuilder.string().optional().defaultValue("n/a").build())
            .field("created_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).build())
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("shop.public.items.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    private final EnvelopeWriter writer = new EnvelopeWriter(KafkaChangeConsumer.converterConfig(true));
    private final JsonConverter converter = new JsonConverter();

    EnvelopeWriterTest() {
        converter.configure(KafkaChangeConsumer.converterConfig(true), false);
    }

    private static Struct event(long id, String price, String note, String op) {
        Struct row = new Struct(ROW).put("id", id).put("price", new BigDecimal(price)).put("note", note)
                .put("created_at", "2024-03-01T10:34:56.789012Z").put("tags", List.of("a", "\"quoted\" ü"))
                .put("blob", new byte[]{0, 1, (byte) 0xff}).put("ratio", id % 2 == 0 ? null : 0.1);
        return new Struct(ENVELOPE).put("after", row).put("op", op).put("ts_ms", 1_700_000_000_000L + id);
    }

    @Test
    void everyEventOfASchemaIsByteForByteWhatTheConverterWrites() {
        // Given events of one schema: the first fills the cache, the others are written from it
        List<Struct> events = List.of(event(1, "12.30", null, "r"), event(2, "0.07", "tab\there", "c"),
                event(3, "99999999.99", "\u0000__cdc_marts_unavailable_value", "u"));

        for (Struct e : events) {
            // When / Then
            assertThat(new String(writer.write("t", ENVELOPE, e), StandardCharsets.UTF_8))
                    .isEqualTo(new String(converter.fromConnectData("t", ENVELOPE, e), StandardCharsets.UTF_8));
        }
        assertThat(writer.keptSchemas()).as("the schema's bytes are kept, not the converter called every time").isEqualTo(1);
    }

    @Test
    void aNewSchemaObjectIsSerializedAfreshNotTakenForTheOldOne() {
        // Given an event of one schema already written
        writer.write("t", ENVELOPE, event(1, "1.00", null, "r"));
        // and the same table after ALTER TABLE: another schema object with one more column
        Schema altered = SchemaBuilder.struct().name("shop.public.items.Value").optional()
                .field("id", Schema.INT64_SCHEMA).field("extra", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("shop.public.items.Envelope")
                .field("after", altered).field("op", Schema.STRING_SCHEMA).build();
        Struct value = new Struct(envelope).put("after", new Struct(altered).put("id", 7L).put("extra", "x")).put("op", "c");

        // When
        byte[] written = writer.write("t", envelope, value);

        // Then
        assertThat(written).isEqualTo(converter.fromConnectData("t", envelope, value));
        assertThat(new String(written, StandardCharsets.UTF_8)).contains("\"field\":\"extra\"");
    }

    @Test
    void outputThatIsNotTheEnvelopeOfItsPayloadIsNotCut() {
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(EnvelopeWriter.schemaPart("{\"schema\":{},\"payload\":{\"a\":2}}".getBytes(StandardCharsets.UTF_8), payload))
                .isEmpty();
        assertThat(EnvelopeWriter.schemaPart("{\"payload\":{\"a\":1},\"schema\":{}}".getBytes(StandardCharsets.UTF_8), payload))
                .isEmpty();
        assertThat(new String(EnvelopeWriter.schemaPart(
                "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8), payload),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"struct\"}");
    }

    @Test
    void aValueWithoutSchemaIsTheConvertersToo() {
        assertThat(writer.write("t", null, Map.of("k", 1))).isEqualTo(converter.fromConnectData("t", null, Map.of("k", 1)));
    }
}
