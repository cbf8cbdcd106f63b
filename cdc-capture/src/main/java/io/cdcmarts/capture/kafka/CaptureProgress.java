package io.cdcmarts.capture.kafka;

import io.cdcmarts.capture.CaptureStatus;
import io.cdcmarts.capture.CaptureStatus.State;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What capture has sent so far, updated by the consumer thread and read by anyone: the status and
 * the Micrometer meters ({@code cdc.capture.events{table,topic}}, exposed to Prometheus as
 * {@code cdc_capture_events_total}, and {@code cdc.capture.last.lsn}).
 */
public final class CaptureProgress {

    /** Change events (tombstones included) acknowledged by Kafka, tagged by table and topic; their sum is the total. */
    public static final String EVENTS_METER = "cdc.capture.events";
    /** The LSN of the last acknowledged change event. */
    public static final String LSN_METER = "cdc.capture.last.lsn";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong lastLsn = new AtomicLong(-1);
    private volatile Instant lastSourceTime;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile State state = State.NEW;

    public CaptureProgress(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(LSN_METER, lastLsn, AtomicLong::doubleValue);
    }

    /** Records events of one table, sent to {@code topic}, that Kafka acknowledged. */
    public void sent(String table, String topic, long count) {
        sent.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(count);
        counters.computeIfAbsent(table, t -> Counter.builder(EVENTS_METER)
                .description("Change events captured and acknowledged by Kafka")
                .tag("table", t)
                .tag("topic", topic)
                .register(registry)).increment(count);
    }

    /** Records the source position of the last acknowledged event. */
    public void position(long lsn, Instant sourceTime) {
        if (lsn >= 0) {
            lastLsn.set(lsn);
        }
        if (sourceTime != null) {
            lastSourceTime = sourceTime;
        }
    }

    public void error(String message) {
        lastErrorAt = Instant.now();
        lastError = message;
    }

    public void state(State state) {
        this.state = state;
    }

    public State state() {
        return state;
    }

    public CaptureStatus snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        sent.forEach((t, n) -> counts.put(t, n.get()));
        return new CaptureStatus(state, lastLsn.get(), lastSourceTime, counts, lastError, lastErrorAt);
    }
}
