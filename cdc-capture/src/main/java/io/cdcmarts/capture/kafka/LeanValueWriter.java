package io.cdcmarts.capture.kafka;

import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.SchemaIds;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a change event's value in the lean raw format: the JSON converter's output with
 * {@code schemas.enable=false} (Debezium's payload alone, its envelope reduced by {@link LeanEnvelope};
 * written by {@link VerifiedJsonWriter}), and the id of its schema for the
 * message's {@link SchemaIds#HEADER} header. The schema is exactly the JSON the inline envelope
 * would carry ({@code {"schema":S,…}}, cut out of the converter's own output), published once per
 * id through {@link SchemaPublisher} before the first value that names it is returned.
 *
 * <p>Schemas are kept per schema object (Debezium builds one per table version); a schema object
 * new to this writer whose id was published already is not published again. Not thread-safe (one
 * engine thread hands over the batches).
 */
final class LeanValueWriter {

    /** Publishes one schema and returns once the broker acknowledged it. */
    @FunctionalInterface
    interface SchemaPublisher {
        void publish(String id, byte[] schemaJson);
    }

    /** A value and the id of its schema (null for a value without a schema). */
    record Value(byte[] bytes, String schemaId) {
    }

    private static final byte[] HEAD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MIDDLE = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAIL = "}".getBytes(StandardCharsets.UTF_8);
    /** Schema objects remembered; past it the memo starts again (a table altered over and over). */
    static final int MAX_SCHEMAS = 1024;

    private final JsonConverter envelopeConverter = new JsonConverter();
    private final VerifiedJsonWriter payloadWriter;
    private final LeanEnvelope envelope = new LeanEnvelope();
    private final Map<Schema, String> ids = new IdentityHashMap<>();
    private final Set<String> published = new HashSet<>();
    private final SchemaPublisher publisher;

    /** @param envelopeConfig the raw topics' converter settings, schemas enabled */
    LeanValueWriter(Map<String, Object> envelopeConfig, SchemaPublisher publisher) {
        this.publisher = publisher;
        envelopeConverter.configure(envelopeConfig, false);
        Map<String, Object> payloadConfig = new HashMap<>(envelopeConfig);
        payloadConfig.put(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false);
        JsonConverter payloadConverter = new JsonConverter();
        payloadConverter.configure(payloadConfig, false);
        payloadWriter = new VerifiedJsonWriter(payloadConverter);
    }

    /**
     * @param schema Debezium's value schema; an envelope is written reduced ({@link LeanEnvelope}),
     *               and its id is that of the reduced schema
     */
    Value write(String topic, Schema schema, Object value) {
        Schema lean = envelope.schema(schema);
        byte[] payload = payloadWriter.write(topic, lean, value, () -> envelope.reduce(schema, value).value());
        if (schema == null) {
            return new Value(payload, null);
        }
        String id = ids.get(schema);
        if (id == null) {
            byte[] schemaJson = schemaJson(topic, lean, envelope.reduce(schema, value).value(), payload);
            id = SchemaIds.of(schemaJson);
            if (!published.contains(id)) {
                publisher.publish(id, schemaJson);
                published.add(id);
            }
            if (ids.size() >= MAX_SCHEMAS) {
                ids.clear(); // a table altered over and over: ids are recomputed, never republished
            }
            ids.put(schema, id);
        }
        return new Value(payload, id);
    }

    /** The schema's JSON as the inline envelope carries it. */
    private byte[] schemaJson(String topic, Schema schema, Object value, byte[] payload) {
        byte[] cut = schemaPart(envelopeConverter.fromConnectData(topic, schema, value), payload);
        if (cut.length > 0) {
            return cut;
        }
        try {
            // Kafka's converter always writes HEAD schema MIDDLE payload TAIL; this is in case one day it does not.
            return Json.MAPPER.writeValueAsBytes(envelopeConverter.asJsonSchema(schema));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a change event's schema as JSON", e);
        }
    }

    /** The schema's JSON in {@code whole}, or nothing when whole is not HEAD schema MIDDLE payload TAIL. */
    static byte[] schemaPart(byte[] whole, byte[] payload) {
        int schemaEnd = whole.length - TAIL.length - payload.length - MIDDLE.length;
        if (schemaEnd <= HEAD.length
                || !Arrays.equals(whole, 0, HEAD.length, HEAD, 0, HEAD.length)
                || !Arrays.equals(whole, schemaEnd, schemaEnd + MIDDLE.length, MIDDLE, 0, MIDDLE.length)
                || !Arrays.equals(whole, schemaEnd + MIDDLE.length, whole.length - TAIL.length, payload, 0, payload.length)
                || !Arrays.equals(whole, whole.length - TAIL.length, whole.length, TAIL, 0, TAIL.length)) {
            return new byte[0];
        }
        return Arrays.copyOfRange(whole, HEAD.length, schemaEnd);
    }
}
