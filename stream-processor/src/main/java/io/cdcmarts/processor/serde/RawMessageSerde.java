package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ChangeEventEnvelope;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.processor.raw.RawMessage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads raw topic values without ever throwing: a Debezium envelope becomes a
 * {@link RawMessage.Event}, anything else a {@link RawMessage.Malformed} that the topology routes to
 * the dead letters (a deserialization exception handler could only drop or stop). Values are only
 * ever read, so writing is not supported.
 *
 * <p>Both raw formats are read (SPEC's compatibility rule): a value whose headers name a schema
 * ({@link SchemaIds#HEADER}) is Debezium's payload alone, its schema looked up in the
 * {@link SchemaDirectory}; a value without the header is the inline envelope. Kafka Streams hands
 * the record's headers to {@link Deserializer#deserialize(String, Headers, byte[])}.
 *
 * <p>The payload is read once: the {@code after} image, the only one the processor uses, becomes
 * its tree where the parser stands ({@link ChangeEventEnvelope.ImageReader}), instead of being
 * skipped and parsed a second time by a parser of its own.
 */
public final class RawMessageSerde implements Serde<RawMessage> {

    /** The after image as a tree, read where it stands (the parser is left on its END_OBJECT). */
    private static final ChangeEventEnvelope.ImageReader<ObjectNode> AFTER_TREE = (columns, p) -> Json.MAPPER.readTree(p);

    private final SchemaDirectory schemas;

    /** @param schemas where the schemas of lean messages are looked up ({@link SchemaDirectory#NONE} for none) */
    public RawMessageSerde(SchemaDirectory schemas) {
        this.schemas = schemas;
    }

    @Override
    public Serializer<RawMessage> serializer() {
        return (topic, message) -> {
            if (message == null) {
                return null;
            }
            if (message instanceof RawMessage.Malformed malformed) {
                return malformed.bytes();
            }
            throw new UnsupportedOperationException("raw change events are read, never written, by the processor");
        };
    }

    @Override
    public Deserializer<RawMessage> deserializer() {
        return new Deserializer<>() {
            @Override
            public RawMessage deserialize(String topic, byte[] bytes) {
                return read(bytes, null);
            }

            @Override
            public RawMessage deserialize(String topic, Headers headers, byte[] bytes) {
                return read(bytes, SchemaIds.from(headers));
            }
        };
    }

    private RawMessage read(byte[] bytes, String schemaId) {
        if (bytes == null) {
            return null;
        }
        try {
            ChangeEventEnvelope<ObjectNode> e = ChangeEventEnvelope.read(bytes, schemaId, schemas, AFTER_TREE);
            ObjectNode after = e.after() == null ? null : e.afterRead() != null ? e.afterRead() : e.after().tree();
            return new RawMessage.Event(new RawChangeEvent(e.op(), e.columns(), e.before() == null ? null : e.before().tree(),
                    after, e.lsn(), e.txId(), e.sourceTsMs(), e.tsMs()));
        } catch (MalformedEventException e) {
            return new RawMessage.Malformed(bytes, e.getMessage());
        } catch (RuntimeException e) {
            return new RawMessage.Malformed(bytes, "unreadable change event: " + e);
        }
    }
}
