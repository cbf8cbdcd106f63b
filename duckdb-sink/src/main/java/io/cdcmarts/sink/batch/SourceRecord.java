package io.cdcmarts.sink.batch;

import io.cdcmarts.common.event.SchemaIds;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One consumed message: where it is and its bytes (key and value may be null).
 *
 * @param topic     the topic
 * @param partition the partition
 * @param offset    the message's offset
 * @param key       the key's bytes, or null
 * @param value     the value's bytes, or null for a tombstone
 * @param schemaId  the schema its {@link SchemaIds#HEADER} header names (a lean raw message or typed row), or null (the inline form, or a topic without schemas)
 */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, String schemaId) {

    /** A message without a schema header. */
    public SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
        this(topic, partition, offset, key, value, null);
    }

    public static SourceRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), SchemaIds.from(r.headers()));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
