package io.cdcmarts.capture.kafka;

import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.publication.TableDrops;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.testing.InMemorySchemaLog;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KafkaChangeConsumerTest {

    private static final Schema KEY = SchemaBuilder.struct().name("shop.public.products.Key")
            .field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.products.Value").optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("price", Decimal.builder(2).parameter("connect.decimal.precision", "10").build())
            .field("category", SchemaBuilder.string().optional().defaultValue("misc").build())
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("shop.public.products.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    private final List<String> createdTopics = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaptureProgress progress = new CaptureProgress(registry);

    private KafkaChangeConsumer consumer(MockProducer<byte[], byte[]> producer) {
        return new KafkaChangeConsumer(producer, createdTopics::add, new TopicNames("shop"), "shop", "public", null,
                progress);
    }

    private static RecordChangeEvent<SourceRecord> change(long id, String op, String price, long lsn) {
        Struct row = new Struct(ROW).put("id", id).put("price", new BigDecimal(price)).put("category", null);
        Struct value = new Struct(ENVELOPE).put("op", op).put("ts_ms", 2L)
                .put("source", new Struct(SOURCE).put("lsn", lsn).put("ts_ms", 1_700_000_000_000L))
                .put(op.equals("d") ? "before" : "after", row);
        return () -> new SourceRecord(Map.of(), Map.of("lsn", lsn), "shop.public.products", null, KEY,
                new Struct(KEY).put("id", id), ENVELOPE, value);
    }

    private static RecordChangeEvent<SourceRecord> tombstone(long id) {
        return () -> new SourceRecord(Map.of(), Map.of(), "shop.public.products", null, KEY,
                new Struct(KEY).put("id", id), null, null);
    }

    private static RecordChangeEvent<SourceRecord> heartbeat() {
        Schema key = SchemaBuilder.struct().field("serverName", Schema.STRING_SCHEMA).build();
        return () -> new SourceRecord(Map.of(), Map.of("lsn", 99L), "__debezium-heartbeat.shop", null, key,
                new Struct(key).put("serverName", "shop"), null, null);
    }

    /** The schemas a producer's history published to {@code shop.schemas}, for reading its raw messages. */
    private static SchemaDirectory schemas(MockProducer<byte[], byte[]> producer) {
        InMemorySchemaLog log = new InMemorySchemaLog();
        producer.history().stream().filter(r -> r.topic().equals("shop.schemas"))
                .forEach(r -> log.add(new String(r.key(), StandardCharsets.UTF_8), r.value()));
        return new SchemaDirectory(log);
    }

    private static RawChangeEvent read(ProducerRecord<byte[], byte[]> r, SchemaDirectory schemas) {
        return RawChangeEvent.parse(r.value(), SchemaIds.from(r.headers()), schemas);
    }

    /** Records what the engine would be told. */
    private static final class Committer implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<RecordChangeEvent<SourceRecord>> processed = new ArrayList<>();
        boolean batchFinished;

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            processed.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void sendsKeyedEventsAndTombstonesThenCommitsTheWholeBatch() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Committer committer = new Committer();
        List<RecordChangeEvent<SourceRecord>> batch = List.of(change(1, "c", "10.50", 100), heartbeat(),
                change(1, "d", "10.50", 200), tombstone(1));

        consumer(producer).handleBatch(batch, committer);

        List<ProducerRecord<byte[], byte[]>> history = producer.history();
        assertThat(history.get(0).topic()).as("the schema goes first, before the first event naming it")
                .isEqualTo("shop.schemas");
        assertThat(history).filteredOn(r -> r.topic().equals("shop.schemas")).hasSize(1);
        List<ProducerRecord<byte[], byte[]>> sent = history.subList(1, history.size());
        assertThat(sent).hasSize(3).allSatisfy(r -> assertThat(r.topic()).isEqualTo("shop.raw.products"));
        assertThat(new String(sent.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
        String schemaId = new String(history.get(0).key(), StandardCharsets.UTF_8);
        assertThat(SchemaIds.from(sent.get(0).headers())).isEqualTo(schemaId).isEqualTo(SchemaIds.from(sent.get(1).headers()));
        assertThat(Json.MAPPER.readTree(sent.get(0).value()).has("schema")).as("no inline schema").isFalse();
        SchemaDirectory schemas = schemas(producer);
        RawChangeEvent created = read(sent.get(0), schemas);
        assertThat(created.after().get("price").decimalValue()).isEqualTo(new BigDecimal("10.50"));
        assertThat(created.after().get("category").isNull()).as("NULL stays NULL despite the column default").isTrue();
        assertThat(created.lsn()).isEqualTo(100);
        assertThat(read(sent.get(1), schemas).isDelete()).isTrue();
        assertThat(sent.get(2).value()).isNull();
        assertThat(SchemaIds.from(sent.get(2).headers())).as("a tombstone names no schema").isNull();
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchFinished).isTrue();
        assertThat(createdTopics).containsExactly("shop.raw.products", "shop.schemas");
        assertThat(progress.snapshot().eventsSent()).containsEntry("products", 3L);
        assertThat(progress.snapshot().lastLsn()).isEqualTo(200);
        assertThat(registry.get(CaptureProgress.EVENTS_METER).tag("table", "products").counter().count()).isEqualTo(3.0);
    }

    /** Debezium's record of a transactional logical decoding message (topic {@code <prefix>.message}). */
    private static RecordChangeEvent<SourceRecord> message(String prefix, String content, long lsn) {
        Schema block = SchemaBuilder.struct().field("prefix", Schema.STRING_SCHEMA).field("content", Schema.OPTIONAL_BYTES_SCHEMA).build();
        Schema value = SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageValue")
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).field("source", SOURCE)
                .field("message", block).build();
        Schema key = SchemaBuilder.struct().field("prefix", Schema.STRING_SCHEMA).build();
        Struct v = new Struct(value).put("op", "m").put("ts_ms", 3L)
                .put("source", new Struct(SOURCE).put("lsn", lsn).put("ts_ms", 1_700_000_000_000L))
                .put("message", new Struct(block).put("prefix", prefix).put("content", content.getBytes(StandardCharsets.UTF_8)));
        return () -> new SourceRecord(Map.of(), Map.of("lsn", lsn), "shop.message", null, key,
                new Struct(key).put("prefix", prefix), value, v);
    }

    @Test
    void theKeepersMessageOfADroppedTableBecomesItsMarkerInOrderWithTheChanges() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Committer committer = new Committer();
        KafkaChangeConsumer consumer = new KafkaChangeConsumer(producer, createdTopics::add, new TopicNames("shop"), "shop", "public", null,
                progress, "cdc_marts_shop");
        List<RecordChangeEvent<SourceRecord>> batch = List.of(change(1, "c", "10.50", 100),
                message(TableDrops.MESSAGE_PREFIX, TableDrops.content("cdc_marts_shop", "products"), 150),
                message(TableDrops.MESSAGE_PREFIX, TableDrops.content("cdc_marts_other", "products"), 160),
                message("cdc-marts-heartbeat", "", 170), change(2, "c", "1.00", 200));

        consumer.handleBatch(batch, committer);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history().stream().filter(r -> r.topic().equals("shop.raw.products")).toList();
        assertThat(sent).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .as("another capture's message and a heartbeat are not sent")
                .containsExactly("{\"id\":1}", "{\"" + RawChangeEvent.DROPPED_KEY_FIELD + "\":true}", "{\"id\":2}");
        RawChangeEvent marker = read(sent.get(1), schemas(producer));
        assertThat(marker.op()).as("a reader that knows only TRUNCATE empties the table").isEqualTo("t");
        assertThat(marker.lsn()).isEqualTo(150);
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(progress.snapshot().lastLsn()).isEqualTo(200);
    }

    @Test
    void aSendKafkaDidNotAcknowledgeFailsTheBatchWithoutCommittingAnyOffset() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        Committer committer = new Committer();
        KafkaChangeConsumer consumer = consumer(producer);
        List<RecordChangeEvent<SourceRecord>> batch = List.of(change(1, "c", "1.00", 10), change(2, "c", "2.00", 20));

        CompletableFuture<Void> handling = CompletableFuture.runAsync(() -> {
            try {
                consumer.handleBatch(batch, committer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        producer.completeNext(); // the schema
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
        producer.completeNext();
        producer.errorNext(new NotEnoughReplicasException("not enough in-sync replicas"));

        assertThatThrownBy(handling::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(CaptureException.class)
                .hasMessageContaining("products").hasMessageContaining("not enough in-sync replicas");
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchFinished).isFalse();
        assertThat(progress.snapshot().lastError()).contains("not enough in-sync replicas");
        assertThat(progress.snapshot().eventsSent()).isEmpty();
    }

    @Test
    void aSchemaKafkaDidNotAcknowledgeFailsTheBatchBeforeAnyEventNamingItIsSent() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        Committer committer = new Committer();
        KafkaChangeConsumer consumer = consumer(producer);

        CompletableFuture<Void> handling = CompletableFuture.runAsync(() -> {
            try {
                consumer.handleBatch(List.of(change(1, "c", "1.00", 10)), committer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("not enough in-sync replicas"));

        assertThatThrownBy(handling::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(CaptureException.class)
                .hasMessageContaining("shop.schemas").hasMessageContaining("not enough in-sync replicas");
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("shop.schemas");
        assertThat(committer.processed).isEmpty();
        assertThat(progress.snapshot().lastError()).contains("not enough in-sync replicas");
    }

    @Test
    void eventsOfATableWithoutKeyAreNotSentButStillCommitted() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Committer committer = new Committer();
        Struct value = new Struct(ENVELOPE).put("op", "c").put("after", new Struct(ROW).put("id", 1L)
                .put("price", new BigDecimal("1.00"))).put("source", new Struct(SOURCE).put("lsn", 5L).put("ts_ms", 1L));
        RecordChangeEvent<SourceRecord> keyless = () -> new SourceRecord(Map.of(), Map.of(), "shop.public.audit_log",
                null, null, null, ENVELOPE, value);

        consumer(producer).handleBatch(List.of(keyless), committer);

        assertThat(producer.history()).isEmpty();
        assertThat(committer.processed).containsExactly(keyless);
        assertThat(committer.batchFinished).isTrue();
    }
}
