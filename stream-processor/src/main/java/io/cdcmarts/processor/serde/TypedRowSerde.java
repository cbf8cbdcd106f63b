package io.cdcmarts.processor.serde;

import io.cdcmarts.common.event.TypedRow;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Staging, open-failure and mart values: {@link TypedRow} ({@code {schema, payload}}); null is a tombstone. */
public final class TypedRowSerde implements Serde<TypedRow> {

    public static final TypedRowSerde INSTANCE = new TypedRowSerde();

    @Override
    public Serializer<TypedRow> serializer() {
        return (topic, row) -> row == null ? null : row.toBytes();
    }

    @Override
    public Deserializer<TypedRow> deserializer() {
        return (topic, bytes) -> bytes == null ? null : TypedRow.parse(bytes);
    }
}
