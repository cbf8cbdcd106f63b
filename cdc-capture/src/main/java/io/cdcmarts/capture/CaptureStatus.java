package io.cdcmarts.capture;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of what capture has done, for {@code cdc-marts status} and the health endpoint.
 *
 * @param state          where the service is in its life
 * @param lastLsn        the source LSN of the last change event Kafka acknowledged, or -1
 * @param lastSourceTime the commit time at the source of that event, or null
 * @param eventsSent     change events (tombstones included) acknowledged by Kafka since start, per table
 * @param lastError      the last failure's message, or null
 */
public record CaptureStatus(State state, long lastLsn, Instant lastSourceTime, Map<String, Long> eventsSent,
                            String lastError) {

    /** The service's life cycle. */
    public enum State {
        NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED
    }

    public CaptureStatus {
        eventsSent = Map.copyOf(eventsSent);
    }

    /** Events acknowledged over all tables. */
    public long totalEventsSent() {
        return eventsSent.values().stream().mapToLong(Long::longValue).sum();
    }
}
