package io.cdcmarts.app.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the DuckDB file holds now.
 *
 * @param source         where the facts were read (the sink's API or the file)
 * @param rowsByTable    current rows per table, by layer: raw, stg, mart, quality
 * @param openFailures   rows in {@code quality.open_failures}: source rows failing a check now
 * @param newestSourceTs the source commit time of the newest change applied to raw, or null
 * @param freshness      now minus {@code newestSourceTs}, or null
 * @param error          why the facts could not be read, or null
 */
public record LayerFacts(String source, Map<String, Map<String, Long>> rowsByTable, Long openFailures,
                         Instant newestSourceTs, Duration freshness, String error) {

    static LayerFacts unavailable(String why) {
        return new LayerFacts(null, Map.of(), null, null, null, why);
    }

    /** Rows in one layer, summed over its tables. */
    public long rows(String layer) {
        return rowsByTable.getOrDefault(layer, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }
}
