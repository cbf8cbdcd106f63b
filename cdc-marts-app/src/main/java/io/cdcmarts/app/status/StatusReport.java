package io.cdcmarts.app.status;

import java.time.Instant;
import java.util.List;

/**
 * Everything {@code cdc-marts status} found, in one value: printed as text or as JSON.
 *
 * @param at        when the report was made
 * @param slot      capture's replication slot, or null when no PostgreSQL URL was given
 * @param consumers the sink's and the processor's consumer lag
 * @param layers    what the DuckDB file holds and how fresh it is
 * @param services  each service's health and last error
 */
public record StatusReport(Instant at, SlotLag slot, List<GroupLag> consumers, LayerFacts layers,
                           List<ServiceHealth> services) {

    public StatusReport {
        consumers = List.copyOf(consumers);
        services = List.copyOf(services);
    }
}
