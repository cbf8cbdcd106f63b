package io.cdcmarts.processor.serde;

/**
 * Where the processor puts the schemas its lean typed rows name: the compacted schema topic, or an
 * in-memory log in tests.
 */
@FunctionalInterface
public interface SchemaPublisher {

    /** For topologies whose typed rows are never written (naming the internal topics): publishes nothing. */
    SchemaPublisher NONE = (id, schemaJson) -> {
    };

    /**
     * Writes one schema under its id and returns once it is stored, so that a reader of a value
     * naming it finds it.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when it cannot be stored
     */
    void publish(String id, byte[] schemaJson);
}
