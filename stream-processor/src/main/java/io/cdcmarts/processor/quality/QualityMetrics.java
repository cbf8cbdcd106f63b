package io.cdcmarts.processor.quality;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed checks by table and check ({@value #CHECK_FAILURES}) and dead letters by table
 * ({@value #DEAD_LETTERS}); Prometheus adds {@code _total}. Under exactly-once a retried task
 * may count a record again: the topics and DuckDB are exact, these counters are for rates and alerts.
 */
public final class QualityMetrics {

    public static final String CHECK_FAILURES = "cdc.processor.check.failures";
    public static final String DEAD_LETTERS = "cdc.processor.dead.letters";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

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

    /** One dead letter written for {@code table}, whatever its number of failed checks. */
    public void deadLettered(String table) {
        deadLetters.computeIfAbsent(table, t -> Counter.builder(DEAD_LETTERS)
                        .description("Dead letters written (failed rows and unreadable messages)")
                        .tag("table", t)
                        .register(registry))
                .increment();
    }
}
