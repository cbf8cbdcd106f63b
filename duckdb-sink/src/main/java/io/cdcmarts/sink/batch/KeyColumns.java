package io.cdcmarts.sink.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.sink.duckdb.DuckType;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.ValueConverter;

import java.util.List;
import java.util.Map;

/**
 * A table's primary key as messages give it: the message key's fields, converted to the key
 * columns' types, which is what compaction and de-duplication go by.
 */
final class KeyColumns {

    private final TableSchema schema;
    private final String[] names;
    private final int[] positions;
    private final DuckType[] types;
    private final ColumnSpec[] specs;

    /** @param specs the event's columns by name, for how it encodes the key (none for a tombstone) */
    KeyColumns(TableSchema schema, Map<String, ColumnSpec> specs) {
        this.schema = schema;
        List<String> pk = schema.primaryKey();
        names = pk.toArray(String[]::new);
        positions = schema.keyIndexes();
        types = new DuckType[names.length];
        this.specs = new ColumnSpec[names.length];
        for (int k = 0; k < names.length; k++) {
            types[k] = schema.column(positions[k]).type();
            this.specs[k] = specs.get(names[k]);
        }
    }

    /**
     * The row's key from the message key, also written into the row's key columns: a key column
     * is never NULL in DuckDB.
     */
    RowKey read(ObjectNode key, Object[] row) {
        Object[] parts = new Object[names.length];
        for (int k = 0; k < parts.length; k++) {
            JsonNode v = key.get(names[k]);
            if (v == null || v.isNull()) {
                throw new MalformedEventException("key has no value for primary key column '" + names[k] + "' of " + schema.table());
            }
            parts[k] = ValueConverter.convertKey(names[k], v, specs[k], types[k]);
            row[positions[k]] = parts[k];
        }
        return new RowKey(parts);
    }
}
