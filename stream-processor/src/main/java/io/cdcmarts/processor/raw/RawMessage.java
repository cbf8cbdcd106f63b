package io.cdcmarts.processor.raw;

import io.cdcmarts.common.event.RawChangeEvent;

/**
 * A raw topic message value as the processor reads it: a change event, or bytes that are not one.
 * Reading never throws, so a bad message becomes a dead letter instead of stopping the application.
 * A tombstone is a null value, not a {@code RawMessage}.
 */
public sealed interface RawMessage {

    /** A readable Debezium change event. */
    record Event(RawChangeEvent event) implements RawMessage {
    }

    /** A message that could not be read, with its bytes and the reason. */
    record Malformed(byte[] bytes, String reason) implements RawMessage {
    }
}
