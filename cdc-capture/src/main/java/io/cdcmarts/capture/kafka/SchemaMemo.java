package io.cdcmarts.capture.kafka;

import org.apache.kafka.connect.data.Schema;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What was worked out once per Connect schema object (Debezium builds one per table version), by
 * identity. Past {@link #MAX_SCHEMAS} the memo starts again, so a table altered over and over does
 * not keep every version's entry. Not thread-safe.
 */
final class SchemaMemo<V> {

    static final int MAX_SCHEMAS = 1024;

    private final Map<Schema, V> values = new IdentityHashMap<>();
    private final Function<Schema, V> compute;

    SchemaMemo(Function<Schema, V> compute) {
        this.compute = compute;
    }

    V get(Schema schema) {
        V value = values.get(schema);
        if (value == null) {
            value = compute.apply(schema);
            if (values.size() >= MAX_SCHEMAS) {
                values.clear();
            }
            values.put(schema, value);
        }
        return value;
    }
}
