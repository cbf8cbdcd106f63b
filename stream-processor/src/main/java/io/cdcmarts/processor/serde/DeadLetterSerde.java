package io.cdcmarts.processor.serde;

import io.cdcmarts.common.event.DeadLetter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Dead-letter values ({@link DeadLetter} JSON). */
public final class DeadLetterSerde implements Serde<DeadLetter> {

    public static final DeadLetterSerde INSTANCE = new DeadLetterSerde();

    @Override
    public Serializer<DeadLetter> serializer() {
        return (topic, dl) -> dl == null ? null : dl.toBytes();
    }

    @Override
    public Deserializer<DeadLetter> deserializer() {
        return (topic, bytes) -> bytes == null ? null : DeadLetter.parse(bytes);
    }
}
