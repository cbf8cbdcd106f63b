package io.cdcmarts.capture.kafka;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes a change event's value exactly as {@link JsonConverter} with {@code schemas.enable=true}
 * does ({@code {"schema":…,"payload":…}}), but serializes each schema only once. The converter
 * turns the whole schema into JSON again for every message, which cost about 40 % of capture's CPU
 * in a snapshot (JFR, {@code CaptureBenchmark}); the schema of a table's events is one object
 * until the table changes, so its bytes are kept per schema object and only the payload is
 * converted per event.
 *
 * <p>The schema's bytes are cut out of the converter's own output for the first event of that
 * schema, after checking that the output is the payload's bytes wrapped in the envelope; when it
 * is not (it always is with Kafka's converter), that schema is written by the converter every time.
 * So the bytes on the topic are the converter's, whichever path wrote them.
 */
final class EnvelopeWriter {

    private static final byte[] HEAD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MIDDLE = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAIL = "}".getBytes(StandardCharsets.UTF_8);
    /** Schema objects remembered; past it the cache starts again (a table altered over and over). */
    static final int MAX_SCHEMAS = 1024;
    /** Marks a schema the cut did not fit: the converter writes its events whole. */
    private static final byte[] UNSPLITTABLE = new byte[0];

    private final JsonConverter envelopeConverter = new JsonConverter();
    private final JsonConverter payloadConverter = new JsonConverter();
    private final Map<Schema, byte[]> schemaJson = new IdentityHashMap<>();

    EnvelopeWriter(Map<String, Object> envelopeConfig) {
        envelopeConverter.configure(envelopeConfig, false);
        Map<String, Object> payloadConfig = new java.util.HashMap<>(envelopeConfig);
        payloadConfig.put(org.apache.kafka.connect.json.JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false);
        payloadConverter.configure(payloadConfig, false);
    }

    /** The value's bytes; not thread-safe (one engine thread hands over the batches). */
    byte[] write(String topic, Schema schema, Object value) {
        if (schema == null) {
            return envelopeConverter.fromConnectData(topic, null, value);
        }
        byte[] cached = schemaJson.get(schema);
        if (cached == UNSPLITTABLE) {
            return envelopeConverter.fromConnectData(topic, schema, value);
        }
        byte[] payload = payloadConverter.fromConnectData(topic, schema, value);
        if (cached == null) {
            byte[] whole = envelopeConverter.fromConnectData(topic, schema, value);
            remember(schema, schemaPart(whole, payload));
            return whole;
        }
        byte[] out = new byte[HEAD.length + cached.length + MIDDLE.length + payload.length + TAIL.length];
        int at = put(out, 0, HEAD);
        at = put(out, at, cached);
        at = put(out, at, MIDDLE);
        at = put(out, at, payload);
        put(out, at, TAIL);
        return out;
    }

    private void remember(Schema schema, byte[] schemaBytes) {
        if (schemaJson.size() >= MAX_SCHEMAS) {
            schemaJson.clear();
        }
        schemaJson.put(schema, schemaBytes);
    }

    /** The schema's JSON in {@code whole}, or {@link #UNSPLITTABLE} when whole is not HEAD schema MIDDLE payload TAIL. */
    static byte[] schemaPart(byte[] whole, byte[] payload) {
        int schemaEnd = whole.length - TAIL.length - payload.length - MIDDLE.length;
        if (schemaEnd <= HEAD.length
                || !Arrays.equals(whole, 0, HEAD.length, HEAD, 0, HEAD.length)
                || !Arrays.equals(whole, schemaEnd, schemaEnd + MIDDLE.length, MIDDLE, 0, MIDDLE.length)
                || !Arrays.equals(whole, schemaEnd + MIDDLE.length, whole.length - TAIL.length, payload, 0, payload.length)
                || !Arrays.equals(whole, whole.length - TAIL.length, whole.length, TAIL, 0, TAIL.length)) {
            return UNSPLITTABLE;
        }
        return Arrays.copyOfRange(whole, HEAD.length, schemaEnd);
    }

    /** How many schemas are written from their kept bytes (the others by the converter each time). */
    int keptSchemas() {
        return (int) schemaJson.values().stream().filter(b -> b != UNSPLITTABLE).count();
    }

    private static int put(byte[] into, int at, byte[] part) {
        System.arraycopy(part, 0, into, at, part.length);
        return at + part.length;
    }
}
