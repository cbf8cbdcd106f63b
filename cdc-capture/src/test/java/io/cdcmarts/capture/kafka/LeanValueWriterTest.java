package io.cdcmarts.capture.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.testing.InMemorySchemaLog;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeanValueWriterTest {

    private static final Schema ROW = row("shop.public.items.Value");
    private static final Schema ENVELOPE = envelope(ROW);

    /** What the publisher was handed, in order. */
    private record Published(String id, byte[] schemaJson) {
    }

    private final List<Published> published = new ArrayList<>();
    private final LeanValueWriter writer = new LeanValueWriter(KafkaChangeConsumer.converterConfig(true),
            (id, json) -> published.add(new Published(id, json)));
    private final JsonConverter inline = converter(true);
    private final JsonConverter payloadOnly = converter(false);

    private static JsonConverter converter(boolean schemas) {
        JsonConverter c = new JsonConverter();
        Map<String, Object> config = KafkaChangeConsumer.converterConfig(true);
        config.put("schemas.enable", schemas);
        c.configure(config, false);
        return c;
    }

    private static Schema row(String name) {
        return SchemaBuilder.struct().name(name).optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("price", Decimal.builder(2).parameter("connect.decimal.precision", "10")
                        .defaultValue(new BigDecimal("0.00")).build())
                .field("note", SchemaBuilder.string().optional().defaultValue("n/a").build())
                .field("created_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).build())
                .build();
    }

    private static Schema envelope(Schema row) {
        return SchemaBuilder.struct().name("shop.public.items.Envelope")
                .field("before", row).field("after", row).field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    }

    private static Struct event(Schema envelope, long id, String price, String note) {
        Struct row = new Struct(envelope.field("after").schema()).put("id", id).put("price", new BigDecimal(price))
                .put("note", note).put("created_at", "2024-03-01T10:34:56.789012Z");
        return new Struct(envelope).put("after", row).put("op", "c").put("ts_ms", 1_700_000_000_000L + id);
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return Json.MAPPER.readTree(bytes);
    }

    @Test
    void theValueIsDebeziumsPayloadAsTheConverterWritesItWithoutSchemas() {
        // Given events of one schema
        List<Struct> events = List.of(event(ENVELOPE, 1, "12.30", null), event(ENVELOPE, 2, "0.07", "tab\there ü"));

        for (Struct e : events) {
            // When
            LeanValueWriter.Value value = writer.write("t", ENVELOPE, e);

            // Then: byte for byte the payload a Kafka Connect JsonConverter with schemas.enable=false writes
            assertThat(new String(value.bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(payloadOnly.fromConnectData("t", ENVELOPE, e), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theSchemaIsPublishedOnceBeforeTheFirstValueThatNamesIt() throws IOException {
        // Given
        Struct first = event(ENVELOPE, 1, "1.00", null);

        // When
        LeanValueWriter.Value one = writer.write("t", ENVELOPE, first);
        List<Published> afterFirst = List.copyOf(published);
        LeanValueWriter.Value two = writer.write("t", ENVELOPE, event(ENVELOPE, 2, "2.00", "x"));

        // Then: published when the first value was written, not again for the second
        assertThat(afterFirst).hasSize(1);
        assertThat(published).hasSize(1);
        Published p = published.get(0);
        assertThat(one.schemaId()).isEqualTo(p.id()).isEqualTo(two.schemaId()).isEqualTo(SchemaIds.of(p.schemaJson()));
        // and the schema is exactly the one the inline envelope carried
        assertThat(json(p.schemaJson())).isEqualTo(json(inline.fromConnectData("t", ENVELOPE, first)).get("schema"));
    }

    @Test
    void aChangedSchemaGetsANewIdPublishedBeforeItsFirstValue() throws IOException {
        // Given a value of the table's first version
        String before = writer.write("t", ENVELOPE, event(ENVELOPE, 1, "1.00", null)).schemaId();
        // and the table after ALTER TABLE … ADD COLUMN: another schema object with one more column
        Schema altered = SchemaBuilder.struct().name("shop.public.items.Value").optional()
                .field("id", Schema.INT64_SCHEMA).field("extra", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema envelope = envelope(altered);
        Struct value = new Struct(envelope).put("after", new Struct(altered).put("id", 7L).put("extra", "x")).put("op", "c");

        // When
        LeanValueWriter.Value written = writer.write("t", envelope, value);

        // Then
        assertThat(written.schemaId()).isNotEqualTo(before);
        assertThat(published).extracting(Published::id).containsExactly(before, written.schemaId());
        assertThat(json(published.get(1).schemaJson()).toString()).contains("\"field\":\"extra\"");
        assertThat(json(written.bytes()).at("/after/extra").asText()).isEqualTo("x");
    }

    @Test
    void anEqualSchemaInAnotherObjectIsNotPublishedAgain() {
        // Given a value written with one schema object
        String id = writer.write("t", ENVELOPE, event(ENVELOPE, 1, "1.00", null)).schemaId();
        // and an equal schema built anew (Debezium rebuilds its schemas after a restart of the task)
        Schema again = envelope(row("shop.public.items.Value"));

        // When
        String second = writer.write("t", again, event(again, 2, "2.00", null)).schemaId();

        // Then
        assertThat(second).isEqualTo(id);
        assertThat(published).hasSize(1);
    }

    @Test
    void whatItWritesReadsBackAsTheInlineEnvelopeDoes() {
        // Given a schema log that receives what the writer publishes
        InMemorySchemaLog log = new InMemorySchemaLog();
        LeanValueWriter toLog = new LeanValueWriter(KafkaChangeConsumer.converterConfig(true), log::add);
        Struct e = event(ENVELOPE, 3, "99999999.99", "\u0000__cdc_marts_unavailable_value");

        // When
        LeanValueWriter.Value value = toLog.write("t", ENVELOPE, e);
        RawChangeEvent lean = RawChangeEvent.parse(value.bytes(), value.schemaId(), new SchemaDirectory(log));

        // Then: the same columns (types, precision, scale, semantic types) and images as the inline message
        RawChangeEvent old = RawChangeEvent.parse(inline.fromConnectData("t", ENVELOPE, e));
        assertThat(lean.columns()).isEqualTo(old.columns());
        assertThat(lean.after()).isEqualTo(old.after());
        assertThat(lean.op()).isEqualTo(old.op());
    }

    @Test
    void aSchemaThatCouldNotBePublishedIsPublishedWithTheNextValue() {
        // Given a publisher that fails once (the broker did not acknowledge it)
        List<String> ids = new ArrayList<>();
        boolean[] failed = {false};
        LeanValueWriter flaky = new LeanValueWriter(KafkaChangeConsumer.converterConfig(true), (id, json) -> {
            if (!failed[0]) {
                failed[0] = true;
                throw new IllegalStateException("not acknowledged");
            }
            ids.add(id);
        });
        assertThatThrownBy(() -> flaky.write("t", ENVELOPE, event(ENVELOPE, 1, "1.00", null)))
                .hasMessageContaining("not acknowledged");

        // When
        String id = flaky.write("t", ENVELOPE, event(ENVELOPE, 1, "1.00", null)).schemaId();

        // Then
        assertThat(ids).containsExactly(id);
    }

    @Test
    void outputThatIsNotTheEnvelopeOfItsPayloadIsNotCut() {
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(LeanValueWriter.schemaPart("{\"schema\":{},\"payload\":{\"a\":2}}".getBytes(StandardCharsets.UTF_8), payload))
                .isEmpty();
        assertThat(LeanValueWriter.schemaPart("{\"payload\":{\"a\":1},\"schema\":{}}".getBytes(StandardCharsets.UTF_8), payload))
                .isEmpty();
        assertThat(new String(LeanValueWriter.schemaPart(
                "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8), payload),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"struct\"}");
    }

    @Test
    void aValueWithoutSchemaNamesNone() {
        LeanValueWriter.Value value = writer.write("t", null, Map.of("k", 1));

        assertThat(value.schemaId()).isNull();
        assertThat(value.bytes()).isEqualTo(payloadOnly.fromConnectData("t", null, Map.of("k", 1)));
        assertThat(published).isEmpty();
    }
}
