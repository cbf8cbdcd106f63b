package io.cdcmarts.common.event;

import java.util.List;

/**
 * Where the schemas of lean raw messages are kept: the compacted {@code <prefix>.schemas} topic,
 * or an in-memory list in unit tests. The I/O edge of {@link SchemaDirectory}.
 */
public interface SchemaLog extends AutoCloseable {

    /** One entry: a schema's id (the key) and its Connect schema JSON (the value). */
    record Entry(String id, byte[] schema) {
    }

    /**
     * The entries written since the last call (all of them on the first), read up to the end the
     * log had when this was called.
     *
     * @throws SchemaLogException when the log cannot be read to its end in bounded time; the message says which and where
     */
    List<Entry> readToEnd();

    /** Where the log is, for messages ("topic shop.schemas at localhost:9092"). */
    String describe();

    @Override
    void close();

    /** The log could not be read to its end. */
    final class SchemaLogException extends RuntimeException {
        public SchemaLogException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
