package io.cdcmarts.capture.generated;

import io.cdcmarts.capture.kafka.KafkaChangeConsumer;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.RawChangeEvent;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedColumnFillerTest {

    private static final TableShape ORDER_ITEMS = new TableShape("order_items", List.of(
            new ColumnInfo("id", 1, PgType.of("int8"), null),
            new ColumnInfo("quantity", 2, PgType.of("int4"), null),
            new ColumnInfo("unit_price", 3, PgType.numeric(10, 2), null),
            new ColumnInfo("total_price", 4, PgType.numeric(12, 2), "((quantity)::numeric * unit_price)"),
            new ColumnInfo("note", 5, PgType.of("text"), null)));

    private final AtomicInteger catalogReads = new AtomicInteger();
    private final GeneratedColumnFiller filler = new GeneratedColumnFiller(table -> {
        catalogReads.incrementAndGet();
        return Optional.of(ORDER_ITEMS);
    });

    /** A row schema like Debezium's for pgoutput before PostgreSQL 18: no generated column. */
    private static Schema streamedRow(boolean withTotal) {
        SchemaBuilder b = SchemaBuilder.struct().name("shop.public.order_items.Value").optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("quantity", Schema.INT32_SCHEMA)
                .field("unit_price", Decimal.builder(2).parameter("connect.decimal.precision", "10").build());
        if (withTotal) {
            b.field("total_price", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build());
        }
        return b.field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
    }

    private static Schema envelope(Schema row) {
        return SchemaBuilder.struct().name("shop.public.order_items.Envelope").version(2)
                .field("before", row)
                .field("after", row)
                .field("source", SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                        .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build())
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    private static SourceRecord record(Schema envelope, Struct before, Struct after, String op) {
        Struct value = new Struct(envelope).put("before", before).put("after", after).put("op", op).put("ts_ms", 1L)
                .put("source", new Struct(envelope.field("source").schema()).put("lsn", 42L));
        Schema key = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
        return new SourceRecord(Map.of(), Map.of(), "shop.public.order_items", null, key,
                new Struct(key).put("id", 1L), envelope, value);
    }

    private static Struct item(Schema row, long id, int quantity, String price) {
        return new Struct(row).put("id", id).put("quantity", quantity).put("unit_price", new BigDecimal(price)).put("note", "n");
    }

    private static RawChangeEvent asRawTopicWouldCarryIt(SourceRecord r) {
        JsonConverter converter = new JsonConverter();
        converter.configure(KafkaChangeConsumer.converterConfig(true), false);
        return RawChangeEvent.parse(converter.fromConnectData("t", r.valueSchema(), r.value()));
    }

    @Test
    void addsTheMissingGeneratedColumnInCatalogPositionWithItsValue() {
        Schema row = streamedRow(false);
        SourceRecord streamed = record(envelope(row), null, item(row, 1, 3, "2.35"), "c");

        SourceRecord filled = filler.fill("order_items", streamed);

        RawChangeEvent event = asRawTopicWouldCarryIt(filled);
        assertThat(event.columns()).extracting(ColumnSpec::name)
                .containsExactly("id", "quantity", "unit_price", "total_price", "note");
        ColumnSpec total = event.columns().get(3);
        assertThat(total.logical()).isEqualTo(ColumnSpec.DECIMAL);
        assertThat(total.scale()).isEqualTo(2);
        assertThat(total.precision()).isEqualTo(12);
        assertThat(event.after().get("total_price").decimalValue()).isEqualTo(new BigDecimal("7.05"));
        assertThat(event.after().get("note").asText()).isEqualTo("n");
        assertThat(event.lsn()).isEqualTo(42);
        assertThat(filled.key()).isEqualTo(streamed.key());
    }

    @Test
    void fillsANullValueWhenTheSchemaHasTheColumn() {
        Schema row = streamedRow(true);
        Struct before = item(row, 1, 3, "2.35");
        Struct after = item(row, 1, 4, "2.35");

        RawChangeEvent event = asRawTopicWouldCarryIt(filler.fill("order_items", record(envelope(row), before, after, "u")));

        assertThat(event.before().get("total_price").decimalValue()).isEqualTo(new BigDecimal("7.05"));
        assertThat(event.after().get("total_price").decimalValue()).isEqualTo(new BigDecimal("9.40"));
    }

    @Test
    void leavesAnEventWithTheStoredValueAsItIs() {
        Schema row = streamedRow(true);
        Struct after = item(row, 1, 3, "2.35").put("total_price", new BigDecimal("7.05"));
        SourceRecord snapshot = record(envelope(row), null, after, "r");

        assertThat(filler.fill("order_items", snapshot)).isSameAs(snapshot);
    }

    @Test
    void keyOnlyBeforeImageOfADeleteGetsNullNotAnError() {
        Schema row = SchemaBuilder.struct().name("shop.public.order_items.Value").optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
                .field("unit_price", Decimal.builder(2).optional().build())
                .field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        Struct keyOnly = new Struct(row).put("id", 1L);

        RawChangeEvent event = asRawTopicWouldCarryIt(filler.fill("order_items", record(envelope(row), keyOnly, null, "d")));

        assertThat(event.isDelete()).isTrue();
        assertThat(event.before().get("total_price").isNull()).isTrue();
    }

    @Test
    void rereadsTheCatalogOnlyWhenTheRowSchemaChanges() {
        Schema row = streamedRow(false);
        Schema envelope = envelope(row);
        filler.fill("order_items", record(envelope, null, item(row, 1, 1, "1.00"), "c"));
        filler.fill("order_items", record(envelope, null, item(row, 2, 2, "1.00"), "c"));
        assertThat(catalogReads).hasValue(1);

        Schema widened = streamedRow(true);
        filler.fill("order_items", record(envelope(widened), null, item(widened, 3, 3, "1.00"), "c"));

        assertThat(catalogReads).hasValue(2);
    }

    @Test
    void tombstonesPassThrough() {
        Schema key = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "shop.public.order_items", null, key,
                new Struct(key).put("id", 1L), null, null);

        assertThat(filler.fill("order_items", tombstone)).isSameAs(tombstone);
    }
}
