package io.cdcmarts.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.http.Health;

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
 * @param lastErrorAt    when it happened, or null
 */
public record CaptureStatus(State state, long lastLsn, Instant lastSourceTime, Map<String, Long> eventsSent,
                            String lastError, Instant lastErrorAt) {

    /** The service's life cycle. */
    public enum State {
        NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED
    }

    public CaptureStatus {
        eventsSent = Map.copyOf(eventsSent);
    }

    /**
     * The {@code /health} document: UP while capture runs; details {@code state}, {@code lastLsn},
     * {@code lastSourceTs}, {@code eventsSent} (per table).
     */
    public Health health() {
        return new Health(state == State.RUNNING, lastError, lastErrorAt, body -> {
            body.put("state", state.name());
            body.put("lastLsn", lastLsn);
            body.put("lastSourceTs", lastSourceTime == null ? null : lastSourceTime.toString());
            ObjectNode sent = body.putObject("eventsSent");
            eventsSent.forEach(sent::put);
        });
    }

    /** Events acknowledged over all tables. */
    public long totalEventsSent() {
        return eventsSent.values().stream().mapToLong(Long::longValue).sum();
    }
}
