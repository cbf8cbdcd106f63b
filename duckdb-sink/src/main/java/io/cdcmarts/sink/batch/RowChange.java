package io.cdcmarts.sink.batch;

import java.util.BitSet;

/**
 * The one change a batch applies to one key: the row to upsert, or the delete of the key.
 *
 * @param key         the primary key
 * @param row         values by column position (a delete has only its key columns set); may be
 *                    shorter than the table when columns were added later in the batch
 * @param delete      whether the key is deleted
 * @param unavailable positions whose value Debezium did not send (unchanged TOASTed columns):
 *                    the stored value is kept; null when there are none
 */
public record RowChange(RowKey key, Object[] row, boolean delete, BitSet unavailable) {

    public boolean hasUnavailable() {
        return unavailable != null && !unavailable.isEmpty();
    }

    public Object value(int column) {
        return column < row.length ? row[column] : null;
    }

    public boolean isUnavailable(int column) {
        return unavailable != null && unavailable.get(column);
    }
}
