package io.cdcmarts.common.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A message of the JSON converter's {@code {"schema": {...}, "payload": {...}}} form, read without
 * a tree: the schema comes from the {@link SchemaCache}, the payload goes to a {@link PayloadReader}.
 *
 * <p>Two ways to find the parts, with the same outcome. The usual message is exactly
 * {@code {"schema":S,"payload":{...}}}, as Kafka Connect's converter and {@link TypedRow#toBytes()}
 * write it, with a schema S already seen: then S is recognised by its bytes, never tokenized, and
 * only the payload is read. Any other message (its schema new, its fields in another order, or
 * spaced, or more of them) is tokenized whole first, as a tree of it would be, so an unreadable
 * message fails before anything else is looked at, with the error a tree of it gives.
 *
 * @param object        whether the message is a JSON object at all
 * @param schema        its schema object, or null when it has none
 * @param payloadObject whether it has a payload object
 * @param payload       what the reader made of the payload, or null when there is none
 */
record Envelope<T>(boolean object, EnvelopeSchema schema, boolean payloadObject, T payload) {

    /** Reads a payload from a parser on its START_OBJECT, up to and including its END_OBJECT. */
    interface PayloadReader<T> {
        /**
         * @param base   the offset in the message where the parser's input begins
         * @param schema the message's schema, or null when it has none
         */
        T read(JsonParser p, byte[] message, int base, EnvelopeSchema schema) throws IOException;
    }

    private static final byte[] SCHEMA_FIRST = "{\"schema\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD_NEXT = ",\"payload\":{".getBytes(StandardCharsets.US_ASCII);

    /**
     * @throws MalformedEventException when the message is not JSON
     */
    static <T> Envelope<T> read(byte[] message, PayloadReader<T> reader) {
        return read(message, reader, SchemaCache.SHARED);
    }

    static <T> Envelope<T> read(byte[] message, PayloadReader<T> reader, SchemaCache schemas) {
        try {
            Envelope<T> usual = readUsual(message, reader, schemas);
            return usual != null ? usual : readAny(message, reader, schemas);
        } catch (IOException e) {
            throw JsonSlice.notJson(message, e);
        }
    }

    /**
     * A lean message: the value is the payload alone, its schema the one its header names
     * ({@link SchemaDirectory}). Nothing may follow the payload object.
     *
     * @throws MalformedEventException when the message is not JSON
     */
    static <T> Envelope<T> readLean(byte[] message, EnvelopeSchema schema, PayloadReader<T> reader) {
        try (JsonParser p = Json.MAPPER.createParser(message)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                Json.MAPPER.readTree(message); // "not JSON" rather than "not an object" when it is neither
                return new Envelope<>(false, schema, false, null);
            }
            T payload = reader.read(p, message, 0, schema);
            if (p.nextToken() != null) {
                throw new MalformedEventException("not JSON: more follows the payload object");
            }
            return new Envelope<>(true, schema, true, payload);
        } catch (IOException e) {
            throw JsonSlice.notJson(message, e);
        }
    }

    /** The usual message with a known schema, or null when this one is not. */
    private static <T> Envelope<T> readUsual(byte[] message, PayloadReader<T> reader, SchemaCache schemas) throws IOException {
        if (!holds(message, 0, SCHEMA_FIRST)) {
            return null;
        }
        EnvelopeSchema schema = schemas.find(message, SCHEMA_FIRST.length);
        if (schema == null) {
            return null;
        }
        int payloadField = SCHEMA_FIRST.length + schema.length();
        if (!holds(message, payloadField, PAYLOAD_NEXT)) {
            return null;
        }
        int start = payloadField + PAYLOAD_NEXT.length - 1;
        try (JsonParser p = Json.MAPPER.createParser(message, start, message.length - start)) {
            p.nextToken();
            T payload = reader.read(p, message, start, schema);
            // Well-formed (and what a tree would make of it) only if the envelope closes right after the payload.
            int end = start + (int) p.currentLocation().getByteOffset();
            return end < message.length && message[end] == '}' ? new Envelope<>(true, schema, true, payload) : null;
        }
    }

    private static <T> Envelope<T> readAny(byte[] message, PayloadReader<T> reader, SchemaCache schemas) throws IOException {
        int schemaStart = -1;
        int schemaEnd = -1;
        int payloadStart = -1;
        int payloadEnd = -1;
        try (JsonParser p = Json.MAPPER.createParser(message)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                // A tree reads the whole value: what follows may still make it "not JSON".
                Json.MAPPER.readTree(message);
                return new Envelope<>(false, null, false, null);
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                boolean object = p.nextToken() == JsonToken.START_OBJECT;
                int start = object ? (int) p.currentTokenLocation().getByteOffset() : -1;
                p.skipChildren();
                int end = object ? (int) p.currentLocation().getByteOffset() : -1;
                // A field given twice counts as its last value, as in a tree.
                if (name.equals("schema")) {
                    schemaStart = start;
                    schemaEnd = end;
                } else if (name.equals("payload")) {
                    payloadStart = start;
                    payloadEnd = end;
                }
            }
        }
        EnvelopeSchema schema = schemaStart < 0 ? null : schemas.get(message, schemaStart, schemaEnd);
        if (payloadStart < 0) {
            return new Envelope<>(true, schema, false, null);
        }
        try (JsonParser p = Json.MAPPER.createParser(message, payloadStart, payloadEnd - payloadStart)) {
            p.nextToken();
            return new Envelope<>(true, schema, true, reader.read(p, message, payloadStart, schema));
        }
    }

    private static boolean holds(byte[] message, int at, byte[] expected) {
        return at + expected.length <= message.length
                && java.util.Arrays.equals(message, at, at + expected.length, expected, 0, expected.length);
    }
}
