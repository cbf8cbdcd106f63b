package io.cdcmarts.processor.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.serde.IdKeySerde;
import io.cdcmarts.processor.serde.JsonSerde;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns the readable change events of one raw topic into the current row per key: the after image
 * of an insert, update or snapshot read; null for a delete or a tombstone (so the table forgets the
 * row). An update that carries {@link RawChangeEvent#UNAVAILABLE_VALUE} for an unchanged TOASTed
 * column gets that column's previous value, which is why the text values of each row are kept in
 * a store (for tables with text columns only: there is nothing to fill in otherwise).
 *
 * <p>The raw message's headers stop here: its {@code cdc.schema.id} names the raw schema, which
 * describes no staging, dead-letter or mart record, and Kafka Streams would otherwise copy it onto
 * every record derived from it (each forward, changelog and repartition write).
 */
public final class RawIntake implements FixedKeyProcessorSupplier<Long, RawMessage, RawRow> {

    private static final Logger LOG = LoggerFactory.getLogger(RawIntake.class);

    private final String table;
    private final StoreBuilder<KeyValueStore<Long, ObjectNode>> textStore;

    /**
     * @param textStoreName the store of previous text values, or null when the table has no text
     */
    public RawIntake(String table, String textStoreName, StoreType storeType) {
        this.table = table;
        this.textStore = textStoreName == null ? null
                : storeType.keyValueStore(textStoreName, IdKeySerde.INSTANCE, JsonSerde.of(ObjectNode.class));
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return textStore == null ? null : Set.of(textStore);
    }

    @Override
    public FixedKeyProcessor<Long, RawMessage, RawRow> get() {
        return new Intake();
    }

    private final class Intake implements FixedKeyProcessor<Long, RawMessage, RawRow> {

        private FixedKeyProcessorContext<Long, RawRow> context;
        private KeyValueStore<Long, ObjectNode> texts;

        @Override
        public void init(FixedKeyProcessorContext<Long, RawRow> context) {
            this.context = context;
            this.texts = textStore == null ? null : context.getStateStore(textStore.name());
        }

        @Override
        public void process(FixedKeyRecord<Long, RawMessage> record) {
            Long key = record.key();
            RawChangeEvent event = record.value() instanceof RawMessage.Event e ? e.event() : null;
            if (event == null || event.isDelete()) {
                if (texts != null && key != null) {
                    texts.delete(key);
                }
                context.forward(record.withValue((RawRow) null).withHeaders(new RecordHeaders()));
                return;
            }
            RecordMetadata where = context.recordMetadata().orElseThrow();
            if ("t".equals(event.op())) {
                LOG.warn("Skipping a TRUNCATE of {} at {}-{}@{}: truncate is not replicated to staging and marts",
                        table, where.topic(), where.partition(), where.offset());
                return;
            }
            ObjectNode after = event.after();
            if (texts != null) {
                fillUnavailable(key, after, where);
                texts.put(key, textValues(after));
            }
            context.forward(record.withValue(new RawRow(after, event.lsn(), event.sourceTsMs(), where.partition(), where.offset()))
                    .withHeaders(new RecordHeaders()));
        }

        private void fillUnavailable(Long key, ObjectNode after, RecordMetadata where) {
            ObjectNode previous = null;
            boolean looked = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> column = it.next();
                if (!RawChangeEvent.UNAVAILABLE_VALUE.equals(column.getValue().textValue())) {
                    continue;
                }
                if (!looked) {
                    previous = texts.get(key);
                    looked = true;
                }
                JsonNode before = previous == null ? null : previous.get(column.getKey());
                if (before == null) {
                    // The row's earlier version is unknown (e.g. compacted away): NULL is honest, the
                    // placeholder text would pass for data.
                    LOG.warn("{}.{} of key {} is an unavailable TOASTed value with no earlier version known ({}-{}@{}): using NULL",
                            table, column.getKey(), key, where.topic(), where.partition(), where.offset());
                    column.setValue(Json.MAPPER.nullNode());
                } else {
                    column.setValue(before);
                }
            }
        }

        private ObjectNode textValues(ObjectNode after) {
            ObjectNode texts = Json.MAPPER.createObjectNode();
            after.fields().forEachRemaining(c -> {
                if (c.getValue().isTextual()) {
                    texts.set(c.getKey(), c.getValue());
                }
            });
            return texts;
        }
    }
}
