package io.cdcmarts.common.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.List;

/**
 * A Debezium change event read up to its row images, which stay slices of the message: everything
 * {@link RawChangeEvent} has, for readers that stream the image they need (the sink converts it
 * straight into a row) instead of building trees of both. {@link RawChangeEvent#parse} is this
 * plus the trees. The checks and their messages are RawChangeEvent's.
 *
 * <p>A reader may also read the {@code after} image where it stands while the payload is read
 * ({@link ImageReader}), which spares it a second pass over the image's bytes.
 *
 * @param op         c, u, d, r or t
 * @param columns    the columns of the image the op identifies the row by (after, or before for a delete)
 * @param before     the row before the change, or null
 * @param after      the row after the change, or null
 * @param afterRead  what the image reader made of {@code after}, or null when it did not read it
 * @param lsn        the source log position, or -1
 * @param txId       the source transaction id, or -1
 * @param sourceTsMs the commit time at the source, epoch millis, or 0
 * @param tsMs       when Debezium processed the event, epoch millis (the source's when absent)
 */
public record ChangeEventEnvelope<A>(String op, List<ColumnSpec> columns, JsonSlice before, JsonSlice after, A afterRead,
                                     long lsn, long txId, long sourceTsMs, long tsMs) {

    private static final List<String> OPS = List.of("c", "u", "d", "r", "t");

    /**
     * Reads the {@code after} image while the payload is read, before the event has been checked:
     * what it makes of an event that turns out malformed is dropped, so reading must have no
     * effect beyond its result. It may also decline.
     */
    @FunctionalInterface
    public interface ImageReader<A> {
        /**
         * @param columns the schema's columns of the image
         * @param p       a parser on the image's START_OBJECT
         * @return what it read, the parser then on the image's END_OBJECT; or null, the parser not moved
         */
        A read(List<ColumnSpec> columns, JsonParser p) throws IOException;
    }

    public boolean isDelete() {
        return "d".equals(op);
    }

    /** The image that identifies the row now: after, or before for a delete. */
    public JsonSlice row() {
        return after != null ? after : before;
    }

    /** With the images as trees. */
    public RawChangeEvent toEvent() {
        return new RawChangeEvent(op, columns, before == null ? null : before.tree(), after == null ? null : after.tree(),
                lsn, txId, sourceTsMs, tsMs);
    }

    /**
     * Reads one message value.
     *
     * @throws MalformedEventException when the bytes are not JSON or not a Debezium envelope
     */
    public static ChangeEventEnvelope<Void> read(byte[] value) {
        return read(value, (columns, p) -> null);
    }

    /**
     * Reads one message value, its {@code after} image by {@code afterReader} if it will.
     *
     * @throws MalformedEventException when the bytes are not JSON or not a Debezium envelope
     */
    public static <A> ChangeEventEnvelope<A> read(byte[] value, ImageReader<A> afterReader) {
        return read(value, afterReader, SchemaCache.SHARED);
    }

    /**
     * Reads one raw message in either form (SPEC's compatibility rule): when its headers name a
     * schema ({@code schemaId} not null) the value is the payload alone and the schema comes from
     * {@code directory}; otherwise the value is the inline {@code {"schema":…,"payload":…}} envelope.
     *
     * @param schemaId the message's {@link SchemaIds#HEADER}, or null when it has none
     * @throws MalformedEventException when the bytes are not a Debezium event, or the schema is not found
     */
    public static <A> ChangeEventEnvelope<A> read(byte[] value, String schemaId, SchemaDirectory directory,
                                                  ImageReader<A> afterReader) {
        if (schemaId == null) {
            return read(value, afterReader);
        }
        if (value == null) {
            throw new MalformedEventException("a tombstone is not a change event");
        }
        EnvelopeSchema schema = directory.schema(schemaId);
        return of(Envelope.readLean(value, schema,
                (p, message, base, s) -> Payload.read(p, message, base, s, afterReader)));
    }

    /** {@link #read(byte[], String, SchemaDirectory, ImageReader)} without reading the after image on the way. */
    public static ChangeEventEnvelope<Void> read(byte[] value, String schemaId, SchemaDirectory directory) {
        return read(value, schemaId, directory, (columns, p) -> null);
    }

    static <A> ChangeEventEnvelope<A> read(byte[] value, ImageReader<A> afterReader, SchemaCache schemas) {
        if (value == null) {
            throw new MalformedEventException("a tombstone is not a change event");
        }
        return of(Envelope.read(value, (p, message, base, schema) -> Payload.read(p, message, base, schema, afterReader), schemas));
    }

    private static <A> ChangeEventEnvelope<A> of(Envelope<Payload<A>> envelope) {
        if (!envelope.object()) {
            throw new MalformedEventException("not a JSON object");
        }
        if (!envelope.payloadObject()) {
            throw new MalformedEventException("no 'payload' object (is the JSON converter's schemas.enable on?)");
        }
        if (envelope.schema() == null) {
            throw new MalformedEventException("no 'schema' object (is the JSON converter's schemas.enable on?)");
        }
        Payload<A> p = envelope.payload();
        if (p.op == null || !OPS.contains(p.op)) {
            throw new MalformedEventException("'payload.op' is missing or not one of c, u, d, r, t: " + p.op);
        }
        JsonSlice before = p.before.object("before");
        JsonSlice after = p.after.object("after");
        if ("d".equals(p.op) ? before == null : after == null && !"t".equals(p.op)) {
            throw new MalformedEventException("op '" + p.op + "' without its row image");
        }
        List<ColumnSpec> columns = envelope.schema().imageColumns("d".equals(p.op) ? "before" : "after");
        // One instance per op, not a string per message: the sink keeps it in every raw row of a batch.
        String op = OPS.get(OPS.indexOf(p.op));
        return new ChangeEventEnvelope<>(op, columns, before, after, after == null ? null : p.afterRead,
                p.lsn, p.txId, p.sourceTs, p.ts == null ? p.sourceTs : p.ts);
    }

    /** A row image as the payload has it: absent or null, an object, or something else (an error, if asked for). */
    private record Image(JsonSlice slice, boolean object) {

        static final Image NONE = new Image(null, true);
        static final Image NOT_AN_OBJECT = new Image(null, false);

        JsonSlice object(String field) {
            if (!object) {
                throw new MalformedEventException("'" + field + "' is not an object");
            }
            return slice;
        }
    }

    /**
     * The payload's fields as they are, checked only once the whole message has been read: an
     * unreadable message is "not JSON" whatever its payload says. Fields given twice count as the last.
     */
    private static final class Payload<A> {
        private String op;
        private Image before = Image.NONE;
        private Image after = Image.NONE;
        private A afterRead;
        private long lsn = -1;
        private long txId = -1;
        private long sourceTs;
        private Long ts;

        static <A> Payload<A> read(JsonParser p, byte[] message, int base, EnvelopeSchema schema, ImageReader<A> afterReader)
                throws IOException {
            Payload<A> payload = new Payload<>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "op" -> payload.op = text(p, t);
                    case "before" -> payload.before = image(p, t, message, base);
                    case "after" -> payload.readAfter(p, t, message, base, schema, afterReader);
                    case "source" -> payload.source(p, t);
                    case "ts_ms" -> payload.ts = number(p, t);
                    default -> p.skipChildren();
                }
            }
            return payload;
        }

        private void readAfter(JsonParser p, JsonToken t, byte[] message, int base, EnvelopeSchema schema, ImageReader<A> reader)
                throws IOException {
            afterRead = null;
            List<ColumnSpec> columns = t == JsonToken.START_OBJECT && schema != null ? schema.imageColumnsOrNull("after") : null;
            if (columns != null) {
                int start = base + (int) p.currentTokenLocation().getByteOffset();
                afterRead = reader.read(columns, p);
                if (afterRead != null) {
                    after = new Image(new JsonSlice(message, start, base + (int) p.currentLocation().getByteOffset()), true);
                    return;
                }
            }
            after = image(p, t, message, base);
        }

        private void source(JsonParser p, JsonToken t) throws IOException {
            lsn = -1;
            txId = -1;
            sourceTs = 0;
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "lsn" -> lsn = or(number(p, v), -1);
                    case "txId" -> txId = or(number(p, v), -1);
                    case "ts_ms" -> sourceTs = or(number(p, v), 0);
                    default -> p.skipChildren();
                }
            }
        }

        private static Image image(JsonParser p, JsonToken t, byte[] message, int base) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return Image.NONE;
            }
            if (t == JsonToken.START_OBJECT) {
                return new Image(JsonSlice.skip(p, message, base), true);
            }
            p.skipChildren();
            return Image.NOT_AN_OBJECT;
        }

        /** A field's text as a tree node gives it ({@code asText}); null for JSON null. */
        private static String text(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            return t == JsonToken.VALUE_STRING ? p.getText() : JsonSlice.readTree(p).asText();
        }

        /** A number field as a tree node gives it ({@code asLong}), or null when it is not a number. */
        private static Long number(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return JsonSlice.readTree(p).asLong();
            }
            p.skipChildren();
            return null;
        }

        private static long or(Long value, long absent) {
            return value == null ? absent : value;
        }
    }
}
