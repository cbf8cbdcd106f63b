package io.cdcmarts.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of what the sink has done, for the dashboard, {@code cdc-marts status} and tests.
 *
 * @param running           whether the poll loop runs
 * @param rowsApplied       de-duplicated rows upserted or deleted since start, by DuckDB schema
 *                          (raw, stg, mart, quality)
 * @param batches           batches committed since start
 * @param lastBatchRecords  messages in the last committed batch
 * @param lastBatchDuration how long the last committed batch took, decoding to commit
 * @param lastBatchAt       when the last batch committed, or null
 * @param newestSourceTs    the newest source commit time applied ({@code _source_ts} of raw and stg rows), or null
 * @param malformed         messages that could not be read since start (dead-lettered)
 * @param failedBatches     batches rolled back since start (they are retried)
 * @param lastError         the last failure's message, or null
 * @param lastErrorAt       when it happened, or null
 * @param partitions        partitions the sink reads now (0 until a topic of its own exists)
 */
public record SinkStatus(boolean running, Map<String, Long> rowsApplied, long batches, int lastBatchRecords,
                         Duration lastBatchDuration, Instant lastBatchAt, Instant newestSourceTs, long malformed,
                         long failedBatches, String lastError, Instant lastErrorAt, int partitions) {

    public SinkStatus {
        rowsApplied = Map.copyOf(rowsApplied);
    }

    /** Rows applied to one schema since start. */
    public long rowsApplied(String schema) {
        return rowsApplied.getOrDefault(schema, 0L);
    }

    SinkStatus withRunning(boolean now) {
        return new SinkStatus(now, rowsApplied, batches, lastBatchRecords, lastBatchDuration, lastBatchAt, newestSourceTs,
                malformed, failedBatches, lastError, lastErrorAt, partitions);
    }

    SinkStatus withFailure(String error, Instant at) {
        return new SinkStatus(running, rowsApplied, batches, lastBatchRecords, lastBatchDuration, lastBatchAt, newestSourceTs,
                malformed, failedBatches + 1, error, at, partitions);
    }

    SinkStatus withPartitions(int now) {
        return new SinkStatus(running, rowsApplied, batches, lastBatchRecords, lastBatchDuration, lastBatchAt, newestSourceTs,
                malformed, failedBatches, lastError, lastErrorAt, now);
    }

    static SinkStatus initial() {
        return new SinkStatus(false, Map.of(), 0, 0, Duration.ZERO, null, null, 0, 0, null, null, 0);
    }
}
