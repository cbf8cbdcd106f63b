package io.cdcmarts.sink.batch;

import io.cdcmarts.sink.dlq.DeadLetterRow;
import io.cdcmarts.sink.duckdb.TableRef;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one batch (one poll or several, {@link BatchLimits}) writes in its one DuckDB transaction: the folded changes per table,
 * the dead letters (one per source message), and the next offset of every partition it read.
 */
public final class Batch {

    private final Instant ingestedAt;
    private final Map<TableRef, TableBatch> tables = new LinkedHashMap<>();
    private final Map<DeadLetterRow.SourceCoordinates, DeadLetterRow> deadLetters = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private final Map<String, Integer> consumedByLayer = new TreeMap<>();
    private final Map<String, Integer> malformedByLayer = new TreeMap<>();
    private final Map<String, Integer> unknownTombstonesByLayer = new TreeMap<>();
    private int records;
    private long bytes;
    private Instant newestSourceTs;

    public Batch(Instant ingestedAt) {
        this.ingestedAt = ingestedAt;
    }

    /** The {@code _ingested_at} of every raw row of the batch. */
    public Instant ingestedAt() {
        return ingestedAt;
    }

    public TableBatch table(TableRef ref) {
        return tables.computeIfAbsent(ref, TableBatch::new);
    }

    /** The table was dropped: this batch's changes to it so far are moot (a table made again under the name starts anew). */
    public void drop(TableRef ref) {
        tables.remove(ref);
    }

    public Collection<TableBatch> tables() {
        return tables.values();
    }

    void deadLetter(DeadLetterRow row) {
        deadLetters.merge(row.coordinates(), row, (stored, incoming) -> incoming.replaces(stored) ? incoming : stored);
    }

    public Collection<DeadLetterRow> deadLetters() {
        return deadLetters.values();
    }

    /** Counts a message of a layer and moves its partition's next offset past it. */
    public void consumed(SourceRecord r, String layer) {
        records++;
        bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        consumedByLayer.merge(layer, 1, Integer::sum);
        nextOffsets.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
    }

    void malformed(String layer) {
        malformedByLayer.merge(layer, 1, Integer::sum);
    }

    void unknownTombstone(String layer) {
        unknownTombstonesByLayer.merge(layer, 1, Integer::sum);
    }

    void sourceTs(Instant ts) {
        if (ts != null && (newestSourceTs == null || ts.isAfter(newestSourceTs))) {
            newestSourceTs = ts;
        }
    }

    /** The offset to resume each partition from once this batch is committed. */
    public Map<TopicPartition, Long> nextOffsets() {
        return nextOffsets;
    }

    /** Messages read, per layer (raw, stg, mart, dlq, quality). */
    public Map<String, Integer> consumedByLayer() {
        return consumedByLayer;
    }

    /** Messages that could not be read, per layer. */
    public Map<String, Integer> malformedByLayer() {
        return malformedByLayer;
    }

    /**
     * Tombstones for a table the file does not have, per layer: deletes of nothing, skipped. A
     * compacted topic read from offset 0 (a rebuild) can hold the tombstone of a row whose every
     * other message compaction removed.
     */
    public Map<String, Integer> unknownTombstonesByLayer() {
        return unknownTombstonesByLayer;
    }

    public int records() {
        return records;
    }

    /** Bytes of the messages read (keys and values): what bounds the memory a batch holds. */
    public long bytes() {
        return bytes;
    }

    /** The newest source commit time among the raw and staging rows of the batch, or null. */
    public Instant newestSourceTs() {
        return newestSourceTs;
    }

    public boolean isEmpty() {
        return records == 0;
    }
}
