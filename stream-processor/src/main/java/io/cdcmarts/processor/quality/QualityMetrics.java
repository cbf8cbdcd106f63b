package io.cdcmarts.processor.quality;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts failed checks by table and check ({@value #CHECK_FAILURES}, Prometheus {@code …_total}). */
public final class QualityMetrics {

    public static final String CHECK_FAILURES = "cdc.processor.check.failures";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public QualityMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One failed check of one dead letter ({@code malformed} for unreadable messages). */
    public void failed(String table, String check) {
        counters.computeIfAbsent(table + '/' + check, k -> Counter.builder(CHECK_FAILURES)
                        .description("Checks failed by source rows (one per failure of each dead letter)")
                        .tag("table", table)
                        .tag("check", check)
                        .register(registry))
                .increment();
    }
}
