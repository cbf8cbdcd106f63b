package io.cdcmarts.processor.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.RawChangeEvent;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;

/**
 * Turns the readable change events of one raw topic into the current row per key: the after image
 * of an insert, update or snapshot read; null for a delete or a tombstone (so the table forgets the
 * row; order_items have no table, their changes go on as a stream). An update that carries
 * {@link RawChangeEvent#UNAVAILABLE_VALUE} for an unchanged TOASTed column gets that column's
 * previous value, read from the raw table's own store (the row this intake forwarded last for the
 * key: the table is uncached, so it holds exactly that). Only tables with text columns read it:
 * there is nothing to fill in otherwise.
 *
 * <p>Reading the table's store, rather than keeping the text values in a store of its own, spares
 * a store write and a changelog record per change: the table already holds every one of them.
 *
 * <p>The raw message's headers stop here: its {@code cdc.schema.id} names the raw schema, which
 * describes no staging, dead-letter or mart record, and Kafka Streams would otherwise copy it onto
 * every record derived from it (each forward, changelog and repartition write).
 */
public final class RawIntake implements FixedKeyProcessorSupplier<Long, RawMessage, RawRow> {

    private static final Logger LOG = LoggerFactory.getLogger(RawIntake.class);

    private final String table;
    private final String rawStoreName;

    /**
     * @param rawStoreName the raw table's store (connected to this processor), to fill TOASTed
     *                     values from; null when the table has no text
     */
    public RawIntake(String table, String rawStoreName) {
        this.table = table;
        this.rawStoreName = rawStoreName;
    }

    @Override
    public FixedKeyProcessor<Long, RawMessage, RawRow> get() {
        return new Intake();
    }

    private final class Intake implements FixedKeyProcessor<Long, RawMessage, RawRow> {

        private FixedKeyProcessorContext<Long, RawRow> context;
        private TimestampedKeyValueStore<Long, RawRow> rows;

        @Override
        public void init(FixedKeyProcessorContext<Long, RawRow> context) {
            this.context = context;
            this.rows = rawStoreName == null ? null : context.getStateStore(rawStoreName);
        }

        @Override
        public void process(FixedKeyRecord<Long, RawMessage> record) {
            Long key = record.key();
            RawChangeEvent event = record.value() instanceof RawMessage.Event e ? e.event() : null;
            if (event == null || event.isDelete()) {
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
            if (rows != null) {
                fillUnavailable(key, after, where);
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
                    ValueAndTimestamp<RawRow> stored = key == null ? null : rows.get(key);
                    previous = stored == null || stored.value() == null ? null : stored.value().values();
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
    }
}
