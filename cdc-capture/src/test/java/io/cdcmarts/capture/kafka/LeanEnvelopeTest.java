package io.cdcmarts.capture.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.testing.InMemorySchemaLog;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LeanEnvelopeTest {

    /** Debezium 3.6's PostgreSQL source block, field for field. */
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
                    .parameter("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental")
                    .defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA).field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("xmin", Schema.OPTIONAL_INT64_SCHEMA).field("origin", Schema.OPTIONAL_STRING_SCHEMA)
            .field("origin_lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema TRANSACTION = SchemaBuilder.struct().name("event.block").optional()
            .field("id", Schema.STRING_SCHEMA).field("total_order", Schema.INT64_SCHEMA)
            .field("data_collection_order", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.order_items.Value").optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("unit_price", Decimal.builder(2).parameter("connect.decimal.precision", "10").build())
            .field("created_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).build())
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("shop.public.order_items.Envelope").version(2)
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("transaction", TRANSACTION)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA).build();

    private final LeanEnvelope lean = new LeanEnvelope();

    private static Struct event(long id, String op, long lsn) {
        Struct row = new Struct(ROW).put("id", id).put("unit_price", new BigDecimal("87.87"))
                .put("created_at", "2024-03-01T10:34:56.789012Z");
        Struct source = new Struct(SOURCE).put("version", "3.6.1.Final").put("connector", "postgresql")
                .put("name", "shop").put("ts_ms", 1_700_000_000_123L).put("snapshot", "false").put("db", "shop")
                .put("sequence", "[null,\"" + lsn + "\"]").put("ts_us", 1_700_000_000_123_456L)
                .put("ts_ns", 1_700_000_000_123_456_000L).put("schema", "public").put("table", "order_items")
                .put("txId", 762L).put("lsn", lsn);
        Struct e = new Struct(ENVELOPE).put("source", source).put("op", op).put("ts_ms", 1_700_000_000_500L)
                .put("ts_us", 1_700_000_000_500_001L).put("ts_ns", 1_700_000_000_500_001_002L);
        return "d".equals(op) ? e.put("before", row) : e.put("after", row);
    }

    private static JsonNode json(Schema schema, Object value) throws IOException {
        JsonConverter c = new JsonConverter();
        c.configure(KafkaChangeConsumer.converterConfig(false), false);
        return Json.MAPPER.readTree(c.fromConnectData("t", schema, value));
    }

    private static List<String> names(Schema schema) {
        return schema.fields().stream().map(Field::name).toList();
    }

    @Test
    void keepsTheEnvelopeAndTheSourceFieldsAReaderUses() throws IOException {
        // Given Debezium's event of an order item
        Struct event = event(1, "c", 31_818_880L);

        // When
        LeanEnvelope.Reduced reduced = lean.reduce(ENVELOPE, event);

        // Then the envelope's shape, names and values, without the constants and copies
        assertThat(names(reduced.schema())).containsExactly("before", "after", "source", "op", "ts_ms");
        assertThat(reduced.schema().name()).isEqualTo("shop.public.order_items.Envelope");
        assertThat(reduced.schema().version()).isEqualTo(2);
        Schema source = reduced.schema().field("source").schema();
        assertThat(source.name()).isEqualTo(LeanEnvelope.SOURCE_SCHEMA_NAME);
        assertThat(names(source)).containsExactly("ts_ms", "txId", "lsn");
        assertThat(reduced.schema().field("after").schema()).isSameAs(ROW);
        JsonNode value = json(reduced.schema(), reduced.value());
        assertThat(value.toString()).isEqualTo("{\"before\":null,\"after\":{\"id\":1,\"unit_price\":87.87,"
                + "\"created_at\":\"2024-03-01T10:34:56.789012Z\"},\"source\":{\"ts_ms\":1700000000123,\"txId\":762,"
                + "\"lsn\":31818880},\"op\":\"c\",\"ts_ms\":1700000000500}");
    }

    @Test
    void whatAReaderTakesFromTheReducedEventEqualsWhatItTookFromDebeziums() throws IOException {
        JsonConverter inline = new JsonConverter();
        inline.configure(KafkaChangeConsumer.converterConfig(true), false);
        // Given a schema log for the lean value writer, and Debezium's events of each kind
        InMemorySchemaLog log = new InMemorySchemaLog();
        LeanValueWriter writer = new LeanValueWriter(KafkaChangeConsumer.converterConfig(true), log::add);
        SchemaDirectory schemas = new SchemaDirectory(log);
        List<Struct> events = List.of(event(1, "r", 10L), event(2, "c", 20L), event(1, "u", 30L), event(2, "d", 40L));

        for (Struct e : events) {
            // When one is written by the value writer (reduced), and whole as the inline envelope
            LeanValueWriter.Value small = writer.write("t", ENVELOPE, e);
            byte[] whole = inline.fromConnectData("t", ENVELOPE, e);

            // Then the consumers' reader finds the same event in both
            RawChangeEvent fromSmall = RawChangeEvent.parse(small.bytes(), small.schemaId(), schemas);
            RawChangeEvent fromWhole = RawChangeEvent.parse(whole);
            assertThat(fromSmall).usingRecursiveComparison().isEqualTo(fromWhole);
            assertThat(fromSmall.lsn()).isEqualTo(e.getStruct("source").getInt64("lsn"));
            assertThat(fromSmall.txId()).isEqualTo(762L);
            assertThat(fromSmall.sourceTsMs()).isEqualTo(1_700_000_000_123L);
            assertThat(Json.MAPPER.readTree(small.bytes()).get("source").size()).isEqualTo(3);
        }
    }

    @Test
    void oneReducedSchemaPerDebeziumSchema() {
        // When two events of one table version are reduced
        Schema one = lean.reduce(ENVELOPE, event(1, "c", 1L)).schema();
        Schema two = lean.reduce(ENVELOPE, event(2, "c", 2L)).schema();

        // Then they share one schema object (the value writer publishes it once)
        assertThat(two).isSameAs(one);
    }

    @Test
    void aValueThatIsNotADebeziumEnvelopeIsLeftAsItIs() {
        // Given a struct without source, a map, and no value
        Schema plain = SchemaBuilder.struct().name("x").field("op", Schema.STRING_SCHEMA)
                .field("after", Schema.OPTIONAL_STRING_SCHEMA).build();
        Struct struct = new Struct(plain).put("op", "c").put("after", "a");
        List<Object> values = new ArrayList<>(List.of(struct, Map.of("k", 1)));

        // Then
        assertThat(lean.reduce(plain, struct)).isEqualTo(new LeanEnvelope.Reduced(plain, struct));
        assertThat(lean.reduce(null, values.get(1)).value()).isSameAs(values.get(1));
        assertThat(lean.reduce(ENVELOPE, null)).isEqualTo(new LeanEnvelope.Reduced(ENVELOPE, null));
    }
}
