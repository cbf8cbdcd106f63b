package io.cdcmarts.processor.serde;

import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.common.event.TypedRow;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed rows (staging, marts, open failures) in the lean form: the values alone, the header
 * {@link SchemaIds#HEADER} naming the row's schema, which is published (once per id and instance,
 * before the first value naming it) through a {@link SchemaPublisher}. Reads both forms: a value
 * without the header is the former inline {@code {"schema":…,"payload":…}}.
 *
 * <p>Kafka Streams hands a sink's serializer the headers of the record being sent (its own copy,
 * made when the record was forwarded), so the header is set there; any header of that name already
 * on the record is replaced. A caller without headers gets the inline form, which names itself.
 */
public final class TypedRowSerde implements Serde<TypedRow> {

    private final SchemaPublisher publisher;
    private final SchemaDirectory schemas;
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    /**
     * @param publisher where the schemas of written rows go
     * @param schemas   where the schemas of read lean rows are found
     */
    public TypedRowSerde(SchemaPublisher publisher, SchemaDirectory schemas) {
        this.publisher = publisher;
        this.schemas = schemas;
    }

    @Override
    public Serializer<TypedRow> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, TypedRow row) {
                return row == null ? null : row.toBytes();
            }

            @Override
            public byte[] serialize(String topic, Headers headers, TypedRow row) {
                if (headers == null) {
                    return serialize(topic, row);
                }
                headers.remove(SchemaIds.HEADER);
                if (row == null) {
                    return null;
                }
                String id = row.schemaId();
                if (!published.contains(id)) {
                    publisher.publish(id, row.schemaJson());
                    published.add(id);
                }
                headers.add(SchemaIds.HEADER, SchemaIds.bytes(id));
                return row.payloadBytes();
            }
        };
    }

    @Override
    public Deserializer<TypedRow> deserializer() {
        return new Deserializer<>() {
            @Override
            public TypedRow deserialize(String topic, byte[] bytes) {
                return bytes == null ? null : TypedRow.parse(bytes);
            }

            @Override
            public TypedRow deserialize(String topic, Headers headers, byte[] bytes) {
                return bytes == null ? null : TypedRow.parse(bytes, SchemaIds.from(headers), schemas);
            }
        };
    }
}
