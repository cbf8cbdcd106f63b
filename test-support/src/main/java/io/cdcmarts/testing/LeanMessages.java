package io.cdcmarts.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.SchemaIds;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns an inline raw message ({@code {"schema":…,"payload":…}}, as test fixtures build them) into
 * the lean format capture writes: the payload alone with its schema's id in the
 * {@link SchemaIds#HEADER} header, and the schema as its entry of {@code <prefix>.schemas}. For
 * tests that produce raw messages by hand onto a real broker or feed a TopologyTestDriver.
 */
public final class LeanMessages {

    /** One message in the lean format: its schema's id and JSON, and the value (the payload). */
    public record Lean(String schemaId, byte[] schemaJson, byte[] payload) {

        /** The schema's entry of {@code <prefix>.schemas}, to be written before {@link #raw}. */
        public ProducerRecord<byte[], byte[]> schemaEntry(TopicNames topics) {
            return new ProducerRecord<>(topics.schemas(), SchemaIds.bytes(schemaId), schemaJson);
        }

        /** The raw message naming the schema in its header. */
        public ProducerRecord<byte[], byte[]> raw(String topic, byte[] key) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(SchemaIds.HEADER, SchemaIds.bytes(schemaId));
            return new ProducerRecord<>(topic, null, key, payload, headers);
        }
    }

    private LeanMessages() {
    }

    /** The lean form of an inline envelope. */
    public static Lean of(byte[] inlineEnvelope) {
        try {
            JsonNode envelope = Json.MAPPER.readTree(inlineEnvelope);
            byte[] schema = Json.MAPPER.writeValueAsBytes(envelope.get("schema"));
            return new Lean(SchemaIds.of(schema), schema, Json.MAPPER.writeValueAsBytes(envelope.get("payload")));
        } catch (IOException e) {
            throw new UncheckedIOException("not an inline envelope", e);
        }
    }
}
