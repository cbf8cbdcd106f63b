package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A Debezium change event as the raw topics carry it: the JSON converter's payload
 * {@code {"op", "before", "after", "source", "ts_ms"}}, its schema either named by the message's
 * {@link SchemaIds#HEADER} header (lean) or inline in a {@code {"schema": …, "payload": …}} envelope, with
 * decimals written as JSON numbers (exact). The schema gives the column types, so a consumer can
 * create and widen tables from the events alone.
 *
 * @param op        c (insert), u (update), d (delete), r (snapshot read), t (truncate)
 * @param columns   the row's columns in source order (from the schema of {@code after}, or of
 *                  {@code before} for a delete)
 * @param before    the row before the change, or null
 * @param after     the row after the change, or null for a delete
 * @param lsn       the source log position, or -1 when the event carries none
 * @param txId      the source transaction id, or -1
 * @param sourceTsMs the commit time at the source, epoch millis
 * @param tsMs      when Debezium processed the event, epoch millis
 */
public record RawChangeEvent(String op, List<ColumnSpec> columns, ObjectNode before, ObjectNode after,
                             long lsn, long txId, long sourceTsMs, long tsMs) {

    /**
     * The value Debezium puts in place of an unchanged TOASTed column it did not receive, as capture
     * configures it ({@code unavailable.value.placeholder}). It begins with a NUL character, which
     * no PostgreSQL {@code text}, {@code varchar}, {@code json} or {@code jsonb} value can hold, so a
     * real value is never taken for it (Debezium's default, {@code __debezium_unavailable_value},
     * is an ordinary string a user may well store). Only an update or a create (a primary-key
     * change) can carry it; never a snapshot read.
     */
    public static final String UNAVAILABLE_VALUE = "\u0000__cdc_marts_unavailable_value";

    /**
     * The one field of the key of the event that says its table was dropped at the source: a
     * truncate event ({@code op = t}, so a reader that knows only TRUNCATE empties the table) under
     * the key {@code {"__cdc_marts_dropped":true}}, on which the sink drops its copy of the table.
     * One constant key per topic stays right under compaction: only the last one is kept, and it
     * comes after every row of the tables it dropped.
     */
    public static final String DROPPED_KEY_FIELD = "__cdc_marts_dropped";

    /** Debezium's default placeholder, which capture no longer uses: an ordinary text value. */
    public static final String DEBEZIUM_DEFAULT_PLACEHOLDER = "__debezium_unavailable_value";

    public boolean isDelete() {
        return "d".equals(op);
    }

    /** The image that identifies the row now: after, or before for a delete. */
    public ObjectNode row() {
        return after != null ? after : before;
    }

    /**
     * Reads one message value: its schema recognised from earlier messages ({@link ChangeEventEnvelope}),
     * its images as trees.
     *
     * @throws MalformedEventException when the bytes are not JSON or not a Debezium envelope
     */
    public static RawChangeEvent parse(byte[] value) {
        return ChangeEventEnvelope.read(value).toEvent();
    }

    /**
     * Reads one raw message in either form: lean when {@code schemaId} (its {@link SchemaIds#HEADER})
     * is not null, its schema from {@code directory}; else the inline envelope.
     *
     * @throws MalformedEventException when the bytes are not a Debezium event, or the schema is not found
     */
    public static RawChangeEvent parse(byte[] value, String schemaId, SchemaDirectory directory) {
        return ChangeEventEnvelope.read(value, schemaId, directory).toEvent();
    }
}
