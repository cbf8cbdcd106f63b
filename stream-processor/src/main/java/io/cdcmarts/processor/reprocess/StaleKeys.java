package io.cdcmarts.processor.reprocess;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the keys of one partition of a compacted output topic that a reprocess did not produce
 * again: fold the partition's records to the latest per key; a key whose latest record is a value
 * written before the reprocess started (offset below the partition's end offset noted then) is
 * stale and needs a tombstone.
 *
 * <p>Why this is exact. The reprocess starts from empty stores and offset 0 of the raw topics, so
 * every key that exists under the new rules is emitted at least once (a first value is never
 * suppressed as "unchanged": there is nothing to compare it with), at an offset at or above the
 * mark, even when its value equals the old one. So:
 * <ul>
 *   <li>latest record at or above the mark: written by the reprocess (a value or a tombstone) —
 *       it is the truth, keep it;</li>
 *   <li>latest record below the mark and a value: nothing in the new result has this key —
 *       stale, tombstone it (this covers a row deleted at the source before the reprocess read it:
 *       the new run never emits it at all);</li>
 *   <li>latest record below the mark and a tombstone: already gone.</li>
 * </ul>
 * A row deleted at the source while the reprocess runs was emitted by it and then retracted by a
 * tombstone, both above the mark; nothing to do. Per partition: a key's records all land on one
 * partition (the processor writes keys byte for byte as before), and the tombstone is written to
 * the partition where the stale value is. Compaction keeps the latest record of every key, so
 * folding a compacted log gives the same answer as folding the full one.
 */
public final class StaleKeys {

    private final long mark;
    private final Map<ByteBuffer, Latest> latest = new HashMap<>();

    private record Latest(long offset, boolean tombstone) {
    }

    /** @param mark the partition's end offset when the reprocess started */
    public StaleKeys(long mark) {
        this.mark = mark;
    }

    /** Folds one record of the partition; records must come in offset order. */
    public void add(byte[] key, long offset, boolean tombstone) {
        if (key == null) {
            return;
        }
        latest.put(ByteBuffer.wrap(key), new Latest(offset, tombstone));
    }

    /** The keys to tombstone. */
    public List<byte[]> stale() {
        List<byte[]> stale = new ArrayList<>();
        latest.forEach((key, last) -> {
            if (last.offset() < mark && !last.tombstone()) {
                byte[] bytes = new byte[key.remaining()];
                key.duplicate().get(bytes);
                stale.add(bytes);
            }
        });
        return stale;
    }
}
