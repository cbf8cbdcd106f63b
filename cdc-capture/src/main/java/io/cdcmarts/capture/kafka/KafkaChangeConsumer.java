package io.cdcmarts.capture.kafka;

import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.generated.GeneratedColumnFiller;
import io.cdcmarts.capture.publication.TableDrops;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaIds;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.ConverterType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Hands each batch of Debezium records to Kafka, one compacted topic per table, and lets the
 * engine commit a batch's offsets only once Kafka acknowledged all of it (SPEC §7): every record is
 * sent asynchronously, every future awaited, and only then is each record marked processed and the
 * batch finished. A failed send throws, so the engine stops with no offset past an unacknowledged
 * event; after a restart, events may repeat but none is missing.
 *
 * <p>Key: the primary key as a plain JSON object ({@code {"id":42}}). Value: Debezium's payload
 * with its {@code source} block reduced ({@link LeanEnvelope}) through the JSON converter, decimals as exact JSON numbers, without its schema: the header
 * {@link SchemaIds#HEADER} names the schema, which {@link LeanValueWriter} wrote to
 * {@code <prefix>.schemas} (acknowledged) before the first message naming it; null (a tombstone)
 * after a delete; a TRUNCATE is its event with {@link #TRUNCATE_KEY}. Heartbeats and other non-table records are committed but not sent. Events of a
 * table without a primary key cannot live on a compacted topic (no key): they are dropped with a
 * warning once per table.
 */
public final class KafkaChangeConsumer implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeConsumer.class);
    private static final Pattern TOPIC_SAFE = Pattern.compile("[A-Za-z0-9_\\-]+");
    /** Topics whose table is remembered; past it the memo starts again. */
    private static final int MAX_TOPICS = 4096;
    /**
     * The key of a TRUNCATE event, which Debezium sends without one. One constant key per topic is
     * right under compaction too: only the last TRUNCATE is kept, and every row whose last change
     * came before it is emptied by it again when the topic is read from offset 0.
     */
    public static final byte[] TRUNCATE_KEY = "{\"__cdc_marts_truncate\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /** The key of the event that says a table was dropped ({@link RawChangeEvent#DROPPED_KEY_FIELD}). */
    public static final byte[] DROPPED_KEY = ("{\"" + RawChangeEvent.DROPPED_KEY_FIELD + "\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Producer<byte[], byte[]> producer;
    private final java.util.function.Consumer<String> topicCreator;
    private final TopicNames topics;
    private final String debeziumTopicHead;
    /** Debezium's topic of logical decoding messages. */
    private final String messageTopic;
    private final GeneratedColumnFiller filler;
    private final CaptureProgress progress;
    private final VerifiedJsonWriter keyWriter;
    private final LeanValueWriter valueWriter = new LeanValueWriter(converterConfig(true), this::publishSchema);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Debezium topic → captured table (empty: not a table's, or not capturable); see {@link #table}. */
    private final Map<String, Optional<String>> tableOfTopic = new HashMap<>();
    private final Set<String> ensuredTopics = new HashSet<>();
    private final String publication;
    /** The envelope schema of each dropped table's event: one object per table, so one schema id. */
    private final Map<String, Schema> droppedSchemas = new HashMap<>();
    /** Tables dropped while capture was stopped (see TablesWhileStopped): their last changes in the slot come without a key. */
    private volatile Set<String> goneWhileStopped = Set.of();

    /**
     * @param producer      an idempotent producer with acks=all
     * @param topicCreator  makes sure a raw topic exists (compacted), called once per topic before its first event
     * @param topics        our topic names
     * @param debeziumTopicPrefix Debezium's topic.prefix
     * @param schema        the captured schema
     * @param filler        computes generated columns the source did not stream, or null when it streams them
     * @param progress      status and meters
     */
    public KafkaChangeConsumer(Producer<byte[], byte[]> producer, java.util.function.Consumer<String> topicCreator,
                               TopicNames topics,
                               String debeziumTopicPrefix, String schema, GeneratedColumnFiller filler,
                               CaptureProgress progress) {
        this(producer, topicCreator, topics, debeziumTopicPrefix, schema, filler, progress, null);
    }

    /**
     * @param publication the publication whose keeper's dropped-table messages this capture acts on
     *                    ({@link TableDrops}); null for none
     */
    public KafkaChangeConsumer(Producer<byte[], byte[]> producer, java.util.function.Consumer<String> topicCreator,
                               TopicNames topics,
                               String debeziumTopicPrefix, String schema, GeneratedColumnFiller filler,
                               CaptureProgress progress, String publication) {
        this.producer = producer;
        this.publication = publication;
        this.messageTopic = debeziumTopicPrefix + ".message";
        this.topicCreator = topicCreator;
        this.topics = topics;
        this.debeziumTopicHead = debeziumTopicPrefix + "." + sanitize(schema) + ".";
        this.filler = filler;
        this.progress = progress;
        JsonConverter keyConverter = new JsonConverter();
        keyConverter.configure(converterConfig(false), true);
        this.keyWriter = new VerifiedJsonWriter(keyConverter);
    }

    /**
     * The tables dropped while capture was stopped: Debezium still hands over their last changes,
     * without a key, which are not sent and said so at INFO, not with a key-less table's warning.
     */
    public void goneWhileStopped(Collection<String> tables) {
        goneWhileStopped = Set.copyOf(tables);
    }

    /**
     * The JSON converter settings of the raw topics. {@code replace.null.with.default=false}: a NULL
     * in a column that has a DEFAULT stays NULL (the converter's default would write the default).
     */
    public static Map<String, Object> converterConfig(boolean schemas) {
        Map<String, Object> c = new HashMap<>();
        c.put(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, schemas);
        c.put(JsonConverterConfig.DECIMAL_FORMAT_CONFIG, "NUMERIC");
        c.put(JsonConverterConfig.REPLACE_NULL_WITH_DEFAULT_CONFIG, false);
        c.put("converter.type", schemas ? ConverterType.VALUE.getName() : ConverterType.KEY.getName());
        return c;
    }

    private record Sent(String table, long lsn, Instant sourceTime, Future<RecordMetadata> ack) {
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Sent> sent = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> event : records) {
            SourceRecord record = event.record();
            String dropped = droppedTable(record);
            if (dropped != null) {
                record = droppedEvent(dropped, record);
            }
            String table = dropped != null ? dropped : table(record);
            if (table == null) {
                continue;
            }
            boolean truncate = isTruncate(record);
            if (record.key() == null && !truncate) {
                if (!warned.add("nokey:" + table)) {
                    continue;
                }
                if (goneWhileStopped.contains(table)) {
                    // Debezium reads a key from the catalog, which no longer has the table (or has a new one)
                    LOG.info("Table {} was dropped while capture was stopped: its last changes still in the slot are not sent"
                            + " (its copy downstream is dropped)", table);
                } else {
                    LOG.warn("Table {} has no primary key: its events cannot be keyed on a compacted topic and are"
                            + " not captured (add a primary key, or leave it out with --tables)", table);
                }
                continue;
            }
            String topic = topics.raw(table);
            if (!ensuredTopics.contains(topic)) {
                // a table created after start gets its compacted topic before its first event
                topicCreator.accept(topic);
                ensuredTopics.add(topic);
            }
            if (filler != null && dropped == null) {
                record = filler.fill(table, record);
            }
            byte[] key = dropped != null ? DROPPED_KEY : truncate ? TRUNCATE_KEY : key(topic, record);
            ProducerRecord<byte[], byte[]> out;
            if (record.value() == null) {
                out = new ProducerRecord<>(topic, key, null);
            } else {
                LeanValueWriter.Value value = valueWriter.write(topic, record.valueSchema(), record.value());
                out = new ProducerRecord<>(topic, null, key, value.bytes(), headers(value.schemaId()));
            }
            Future<RecordMetadata> ack = producer.send(out);
            sent.add(new Sent(table, lsn(record), sourceTime(record), ack));
        }
        Map<String, Long> perTable = new HashMap<>();
        for (Sent s : sent) {
            try {
                s.ack().get();
            } catch (ExecutionException e) {
                String message = "Kafka did not acknowledge a change event of " + s.table() + " (LSN " + s.lsn()
                        + "): " + e.getCause().getMessage() + "; no offset was committed past it";
                progress.error(message);
                throw new CaptureException(message, e.getCause());
            }
            perTable.merge(s.table(), 1L, Long::sum);
        }
        for (RecordChangeEvent<SourceRecord> event : records) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        perTable.forEach((table, n) -> progress.sent(table, topics.raw(table), n));
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).lsn() >= 0) {
                progress.position(sent.get(i).lsn(), sent.get(i).sourceTime());
                break;
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Batch of {} records: {} events sent {}", records.size(), sent.size(), perTable);
        }
    }

    private byte[] key(String topic, SourceRecord record) {
        return keyWriter.write(topic, record.keySchema(), record.key(), record::key);
    }

    private static RecordHeaders headers(String schemaId) {
        RecordHeaders headers = new RecordHeaders();
        if (schemaId != null) {
            headers.add(SchemaIds.HEADER, SchemaIds.bytes(schemaId));
        }
        return headers;
    }

    /**
     * Writes a schema to {@code <prefix>.schemas} and waits for the broker: a reader that sees a
     * message naming it and then reads that topic to its end must find it.
     */
    private void publishSchema(String id, byte[] schemaJson) {
        String topic = topics.schemas();
        if (!ensuredTopics.contains(topic)) {
            topicCreator.accept(topic);
            ensuredTopics.add(topic);
        }
        try {
            producer.send(new ProducerRecord<>(topic, SchemaIds.bytes(id), schemaJson)).get();
            LOG.debug("Published schema {} to {}", id, topic);
        } catch (ExecutionException e) {
            String message = "Kafka did not acknowledge schema " + id + " on " + topic + ": " + e.getCause().getMessage()
                    + "; no event naming it was sent";
            progress.error(message);
            throw new CaptureException(message, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while publishing schema " + id + " to " + topic, e);
        }
    }

    /**
     * The captured table a record belongs to, or null for heartbeats, transaction and logical
     * message records, and tables whose name no topic can carry. Remembered per Debezium topic: the
     * name check is a regular expression, which per event was a measurable part of the snapshot.
     */
    String table(SourceRecord record) {
        String topic = record.topic();
        if (topic == null) {
            return null;
        }
        Optional<String> table = tableOfTopic.get(topic);
        if (table == null) {
            table = Optional.ofNullable(tableOf(topic));
            if (tableOfTopic.size() >= MAX_TOPICS) {
                tableOfTopic.clear(); // tables renamed over and over: the names are checked again
            }
            tableOfTopic.put(topic, table);
        }
        return table.orElse(null);
    }

    private String tableOf(String topic) {
        if (!topic.startsWith(debeziumTopicHead)) {
            return null;
        }
        String table = topic.substring(debeziumTopicHead.length());
        if (!TOPIC_SAFE.matcher(table).matches()) {
            if (warned.add("name:" + table)) {
                LOG.warn("Table {} is not captured: its name cannot be part of a Kafka topic name", table);
            }
            return null;
        }
        return table;
    }

    /** The table a logical decoding message of this capture's keeper says was dropped, or null for any other record. */
    private String droppedTable(SourceRecord record) {
        if (publication == null || !messageTopic.equals(record.topic()) || !(record.value() instanceof Struct value)
                || value.schema().field("message") == null || !(value.get("message") instanceof Struct message)
                || !TableDrops.MESSAGE_PREFIX.equals(message.get("prefix"))) {
            return null;
        }
        Object content = message.get("content");
        byte[] bytes = content instanceof byte[] b ? b : content instanceof ByteBuffer buffer ? bytes(buffer)
                : content instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
        return TableDrops.table(publication, bytes).filter(t -> TOPIC_SAFE.matcher(t).matches()).orElse(null);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /**
     * A dropped table's event: a truncate event of the table, as Debezium writes one (an envelope
     * without row images, {@code op = t}), with the message's source block (its LSN and commit time).
     */
    private SourceRecord droppedEvent(String table, SourceRecord message) {
        Struct value = (Struct) message.value();
        Schema source = value.schema().field("source").schema();
        Schema envelope = droppedSchemas.computeIfAbsent(table, t -> {
            Schema image = SchemaBuilder.struct().name(debeziumTopicHead + t + ".Value").optional().build();
            return SchemaBuilder.struct().name(debeziumTopicHead + t + ".Envelope")
                    .field("before", image).field("after", image).field("source", source)
                    .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        });
        Struct event = new Struct(envelope).put("source", value.get("source")).put("op", "t")
                .put("ts_ms", value.schema().field("ts_ms") == null ? null : value.get("ts_ms"));
        return new SourceRecord(message.sourcePartition(), message.sourceOffset(), debeziumTopicHead + table, null,
                null, null, envelope, event);
    }

    /** Debezium's TRUNCATE event: keyless, {@code op = "t"}. */
    static boolean isTruncate(SourceRecord record) {
        return record.value() instanceof Struct value && value.schema().field("op") != null && "t".equals(value.get("op"));
    }

    private static long lsn(SourceRecord record) {
        Object lsn = source(record, "lsn");
        return lsn instanceof Number n ? n.longValue() : -1;
    }

    private static Instant sourceTime(SourceRecord record) {
        Object ts = source(record, "ts_ms");
        return ts instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
    }

    private static Object source(SourceRecord record, String field) {
        if (!(record.value() instanceof Struct value)) {
            return null;
        }
        Field sourceField = value.schema().field("source");
        if (sourceField == null) {
            return null;
        }
        Struct source = value.getStruct("source");
        if (source == null || source.schema().field(field) == null) {
            return null;
        }
        return source.get(field);
    }

    /** Debezium's topic-name sanitizing: characters a topic name cannot hold become '_'. */
    static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9._\\-]", "_");
    }
}
