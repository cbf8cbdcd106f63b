package io.cdcmarts.processor.serde;

import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.processor.raw.RawMessage;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads raw topic values without ever throwing: a Debezium envelope becomes a
 * {@link RawMessage.Event}, anything else a {@link RawMessage.Malformed} that the topology routes to
 * the dead letters (a deserialization exception handler could only drop or stop). Values are only
 * ever read, so writing is not supported.
 */
public final class RawMessageSerde implements Serde<RawMessage> {

    public static final RawMessageSerde INSTANCE = new RawMessageSerde();

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
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return new RawMessage.Event(RawChangeEvent.parse(bytes));
            } catch (MalformedEventException e) {
                return new RawMessage.Malformed(bytes, e.getMessage());
            } catch (RuntimeException e) {
                return new RawMessage.Malformed(bytes, "unreadable change event: " + e);
            }
        };
    }
}
