package io.cdcmarts.sink.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.JsonSlice;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.sink.duckdb.DuckType;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.ValueConverter;
import io.cdcmarts.sink.duckdb.ValueReader;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How the messages of one table version (one schema, one set of key fields) become rows of the
 * table as it is: each column's position and DuckDB type, and the key's. Everything in it depends
 * only on the schema and the table, so it is made once (see {@link DecodePlans}) and not again for
 * every message; a row image is then streamed straight into a row, without a tree.
 */
final class DecodePlan {

    private final List<ColumnSpec> columns;
    private final TableSchema schema;
    private final List<String> keyFields;
    private final KeyColumns key;
    /** The event's columns by name; a name the schema gives twice has both. */
    private final Map<String, int[]> byName;
    private final String[] names;
    private final ColumnSpec[] specs;
    private final int[] positions;
    private final DuckType[] types;

    /**
     * @param columns     the event's columns, all of them columns of {@code schema}
     * @param schema      the table now
     * @param keyFields   the message key's fields, in order, checked against both
     * @param specsByName the event's columns by name, for how it encodes the key
     */
    DecodePlan(List<ColumnSpec> columns, TableSchema schema, List<String> keyFields, Map<String, ColumnSpec> specsByName) {
        this.columns = columns;
        this.schema = schema;
        this.keyFields = keyFields;
        this.key = new KeyColumns(schema, specsByName);
        int n = columns.size();
        names = new String[n];
        specs = new ColumnSpec[n];
        positions = new int[n];
        types = new DuckType[n];
        byName = new HashMap<>(n * 2);
        for (int c = 0; c < n; c++) {
            specs[c] = columns.get(c);
            names[c] = specs[c].name();
            positions[c] = schema.indexOf(names[c]);
            types[c] = schema.column(positions[c]).type();
            int[] known = byName.get(names[c]);
            int[] now = known == null ? new int[1] : Arrays.copyOf(known, known.length + 1);
            now[now.length - 1] = c;
            byName.put(names[c], now);
        }
    }

    /**
     * Whether this plan is the one for a message with these columns and this key while the table
     * is {@code now}. Column lists come from a cache of schemas, one instance per schema, so the
     * same instance is the same schema.
     */
    boolean fits(List<ColumnSpec> columns, TableSchema now, ObjectNode key) {
        if (columns != this.columns || now != schema || key.size() != keyFields.size()) {
            return false;
        }
        Iterator<String> fields = key.fieldNames();
        for (String f : keyFields) {
            if (!f.equals(fields.next())) {
                return false;
            }
        }
        return true;
    }

    TableSchema schema() {
        return schema;
    }

    Object[] newRow() {
        return new Object[schema.size()];
    }

    RowKey keyOf(ObjectNode messageKey, Object[] row) {
        return key.read(messageKey, row);
    }

    /**
     * The row an image makes (see {@link #read(JsonParser)}).
     *
     * @throws MalformedEventException when the image is not JSON
     */
    Image read(JsonSlice image) {
        try (JsonParser p = image.parser()) {
            p.nextToken();
            return read(p);
        } catch (IOException e) {
            throw image.unreadable(e);
        }
    }

    /**
     * The row an image makes, its values converted and in place. A value that does not fit fails as
     * it would in a tree of the image: the first such column in the schema's order, whatever the
     * order of the image's fields, and the last value of a field given twice; the failure is kept
     * in the image, for whoever takes the row to throw.
     *
     * @param p a parser on the image's START_OBJECT, left on its END_OBJECT
     */
    Image read(JsonParser p) throws IOException {
        Object[] row = newRow();
        RuntimeException[] failures = null;
        BitSet unavailable = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int[] at = byName.get(name);
            if (at == null) {
                p.skipChildren();
                continue;
            }
            JsonNode tree = at.length > 1 || t.isStructStart() ? Json.MAPPER.readTree(p) : null;
            for (int c : at) {
                int i = positions[c];
                if (tree != null ? ValueConverter.isUnavailable(tree)
                        : t == JsonToken.VALUE_STRING && ValueConverter.isUnavailableText(p.getText())) {
                    // Only an update can carry the placeholder (BatchBuilder decides by the op, which
                    // comes after the image): keep the text as the value too, for an insert's real one.
                    (unavailable == null ? unavailable = new BitSet() : unavailable).set(i);
                    row[i] = placeholderAsValue(c, tree, p);
                    failures = clear(failures, c);
                    continue;
                }
                if (unavailable != null) {
                    unavailable.clear(i);
                }
                try {
                    row[i] = tree != null ? ValueConverter.convert(names[c], tree, specs[c], types[c])
                            : ValueReader.read(names[c], p, specs[c], types[c]);
                    failures = clear(failures, c);
                } catch (RuntimeException e) {
                    (failures == null ? failures = new RuntimeException[names.length] : failures)[c] = e;
                }
            }
        }
        return new Image(this, row, unavailable == null || unavailable.isEmpty() ? null : unavailable, first(failures));
    }

    /** The placeholder read as the column's value, for when it is a real one; null where it cannot be. */
    private Object placeholderAsValue(int c, JsonNode tree, JsonParser p) throws IOException {
        try {
            return tree != null ? ValueConverter.convert(names[c], tree, specs[c], types[c])
                    : ValueReader.read(names[c], p, specs[c], types[c]);
        } catch (RuntimeException e) {
            return null; // e.g. the text in a JSON column: no insert can carry it there
        }
    }

    /**
     * A row read from an image, by {@code plan}.
     *
     * @param unavailable the positions of TOAST placeholders, or null
     * @param failure     the first value that did not fit, or null
     */
    record Image(DecodePlan plan, Object[] row, BitSet unavailable, RuntimeException failure) {

        /** The row, unless a value did not fit: then that value's error. */
        Object[] rowOrThrow() {
            if (failure != null) {
                throw failure;
            }
            return row;
        }
    }

    private static RuntimeException first(RuntimeException[] failures) {
        if (failures != null) {
            for (RuntimeException f : failures) {
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    private static RuntimeException[] clear(RuntimeException[] failures, int c) {
        if (failures != null) {
            failures[c] = null;
        }
        return failures;
    }
}
