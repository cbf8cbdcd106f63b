package io.cdcmarts.sink.batch;

import java.time.Duration;
import java.util.Objects;

/**
 * When the batch in hand is written. While the sink is behind, polls are folded into one batch,
 * one DuckDB transaction: what DuckDB costs per transaction (the commit writing the write-ahead
 * log, one DELETE and the appenders of each table, the offsets) is paid once per batch, and once a
 * table's rows in one transaction fill a row group (122,880 rows) DuckDB writes them straight into
 * the file, compressed, instead of into the log first and the file at the next checkpoint. Folding
 * more changes also writes fewer rows: only each key's last change. Once the consumer has caught
 * up (fewer messages wait than one poll returns, {@link Backlog}), a poll is written at once:
 * waiting would only delay the rows.
 *
 * @param maxRecords a batch is written once it holds this many messages
 * @param maxBytes   … or messages of this many bytes (keys and values): the folded rows a batch holds
 *                   in memory take a fraction of their messages' bytes, so this bounds the heap a
 *                   batch of wide rows needs
 * @param maxWait    … or once this long has passed since its first poll, even if the sink is still behind
 */
public record BatchLimits(int maxRecords, long maxBytes, Duration maxWait) {

    public BatchLimits {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        Objects.requireNonNull(maxWait, "maxWait");
    }

    /**
     * @param batch    the batch in hand
     * @param age      time since its first poll was read
     * @param caughtUp whether the consumer has as good as caught up ({@link Backlog}: the next poll would take what waits)
     * @return whether to write the batch now
     */
    public boolean due(Batch batch, Duration age, boolean caughtUp) {
        return caughtUp || batch.records() >= maxRecords || batch.bytes() >= maxBytes || age.compareTo(maxWait) >= 0;
    }
}
