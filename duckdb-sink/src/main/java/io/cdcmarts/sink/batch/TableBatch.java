package io.cdcmarts.sink.batch;

import io.cdcmarts.sink.duckdb.TableRef;

import java.util.BitSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The changes of one batch to one table, folded to one change per key: the last change wins,
 * except that a column Debezium left out (an unchanged TOASTed value) takes the value of an earlier
 * image of the same batch. DuckDB's upsert must never see a key twice (duckdb#11102: which
 * duplicate wins is not defined), and one change per key keeps deletes and upserts disjoint.
 */
public final class TableBatch {

    private final TableRef table;
    private final Map<RowKey, RowChange> changes = new LinkedHashMap<>();
    private boolean truncated;
    private int received;
    /** Changes in {@link #changes} with unavailable columns: most batches have none, and then nothing is scanned for them. */
    private int withUnavailable;

    public TableBatch(TableRef table) {
        this.table = table;
    }

    public TableRef table() {
        return table;
    }

    /** Folds in a new image of the row with this key. */
    public void upsert(RowKey key, Object[] row, BitSet unavailable) {
        received++;
        BitSet missing = unavailable == null || unavailable.isEmpty() ? null : (BitSet) unavailable.clone();
        if (missing != null) {
            RowChange earlier = changes.get(key);
            if (earlier != null && !earlier.delete()) {
                for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
                    if (i < earlier.row().length && !earlier.isUnavailable(i)) {
                        row[i] = earlier.row()[i];
                        missing.clear(i);
                    }
                }
                if (missing.isEmpty()) {
                    missing = null;
                }
            }
        }
        put(new RowChange(key, row, false, missing));
    }

    /** Folds in the deletion of the row with this key; {@code keyRow} has the key columns set. */
    public void delete(RowKey key, Object[] keyRow) {
        received++;
        put(new RowChange(key, keyRow, true, null));
    }

    /** Replaces the key's change, moving the key to the end of the order. */
    private void put(RowChange change) {
        RowChange earlier = changes.remove(change.key());
        if (earlier != null && earlier.hasUnavailable()) {
            withUnavailable--;
        }
        changes.put(change.key(), change);
        if (change.hasUnavailable()) {
            withUnavailable++;
        }
    }

    /**
     * The column at {@code position} took another type after some of this batch's rows were read:
     * their values at that position become the new type's ({@code carry}), and keys are made again
     * from the key columns when it is one of them.
     */
    public void carry(int position, UnaryOperator<Object> carry, int[] keyPositions) {
        boolean key = false;
        for (int k : keyPositions) {
            key |= k == position;
        }
        List<RowChange> all = new ArrayList<>(changes.values());
        changes.clear();
        for (RowChange c : all) {
            Object[] row = c.row();
            if (position < row.length) {
                row[position] = carry.apply(row[position]);
            }
            RowKey k = c.key();
            if (key) {
                Object[] parts = new Object[keyPositions.length];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = row[keyPositions[i]];
                }
                k = new RowKey(parts);
            }
            changes.put(k, new RowChange(k, row, c.delete(), c.unavailable()));
        }
    }

    /** The whole table was emptied at the source: everything before in this batch is moot. */
    public void truncate() {
        received++;
        changes.clear();
        withUnavailable = 0;
        truncated = true;
    }

    public boolean truncated() {
        return truncated;
    }

    /** One change per key, in the order of each key's last change. */
    public Collection<RowChange> changes() {
        return changes.values();
    }

    public int size() {
        return changes.size();
    }

    /** Changes folded in, before de-duplication. */
    public int received() {
        return received;
    }

    /** Every column position that some upsert of this batch left unavailable. */
    public BitSet unavailableColumns() {
        BitSet all = new BitSet();
        if (withUnavailable == 0) {
            return all;
        }
        for (RowChange c : changes.values()) {
            if (c.hasUnavailable()) {
                all.or(c.unavailable());
            }
        }
        return all;
    }
}
