package io.cdcmarts.capture;

/**
 * Capture cannot start or go on: the source is unreachable or not set up for logical replication,
 * the publication cannot be created, Kafka refused events. The message says what and where, and
 * never contains a password.
 */
public class CaptureException extends RuntimeException {

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
