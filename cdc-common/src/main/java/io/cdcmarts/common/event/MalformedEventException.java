package io.cdcmarts.common.event;

/** A message that is not a change event we can read: it becomes a dead letter, never a crash. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
