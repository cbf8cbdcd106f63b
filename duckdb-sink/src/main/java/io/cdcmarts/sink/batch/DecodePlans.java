package io.cdcmarts.sink.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.sink.duckdb.ColumnTypes;
import io.cdcmarts.sink.duckdb.DuckType;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.Tables;
import io.cdcmarts.sink.duckdb.TypeMapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tables as the messages describe them: created, or widened by the columns they lack, and the
 * {@link DecodePlan} of each table version. The checks (key fields against the columns and the
 * table's key) and the DDL run for the first message of a version and again only when something
 * changes: the schema (a column added at the source, or one of another type), the table (widened by another version, or
 * read again after a failed batch) or the key's fields. A few plans are kept per table, for the
 * stretch of a migration where old and new versions interleave.
 */
final class DecodePlans {

    /** Versions kept per table; an older one is made again if it comes back. */
    static final int PER_TABLE = 8;

    private final Tables tables;
    private final Map<TableRef, List<DecodePlan>> plans = new HashMap<>();
    private final List<Retyped> retyped = new ArrayList<>();

    DecodePlans(Tables tables) {
        this.tables = tables;
    }

    /**
     * The plan for a message of {@code ref} with these columns and key, the table created or
     * widened first if it must be.
     *
     * @param metadata the sink's own columns a table created now gets after the event's
     * @throws MalformedEventException when the key does not match the columns or the table's key,
     *                                 or a column's type is unknown
     */
    DecodePlan plan(TableRef ref, List<ColumnSpec> columns, ObjectNode key, List<TableSchema.Column> metadata) {
        DecodePlan known = find(ref, columns, key);
        if (known != null) {
            return known;
        }
        Map<String, ColumnSpec> specs = byName(columns);
        List<String> keyFields = keyFields(key, ref, specs);
        DecodePlan plan = new DecodePlan(columns, ensure(ref, columns, keyFields, metadata), keyFields, specs);
        List<DecodePlan> versions = plans.computeIfAbsent(ref, r -> new ArrayList<>());
        if (versions.size() == PER_TABLE) {
            versions.remove(0);
        }
        versions.add(plan);
        return plan;
    }

    /** The plan made before for a message of {@code ref} with these columns and key, if the table is still as it was; or null. */
    DecodePlan find(TableRef ref, List<ColumnSpec> columns, ObjectNode key) {
        List<DecodePlan> versions = plans.get(ref);
        if (versions != null) {
            TableSchema now = tables.find(ref).orElse(null);
            for (DecodePlan p : versions) {
                if (p.fits(columns, now, key)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The table as the event describes it: created, or widened by the columns it lacks. */
    private TableSchema ensure(TableRef ref, List<ColumnSpec> source, List<String> keyFields, List<TableSchema.Column> metadata) {
        Optional<TableSchema> existing = tables.find(ref);
        if (existing.isPresent()) {
            TableSchema schema = existing.get();
            if (!Set.copyOf(schema.primaryKey()).equals(Set.copyOf(keyFields))) {
                throw new MalformedEventException("key fields " + keyFields + " do not match the primary key "
                        + schema.primaryKey() + " of " + ref);
            }
            if (TableRef.RAW.equals(ref.schema())) {
                schema = retype(ref, schema, source);
            }
            List<ColumnSpec> missing = null;
            for (ColumnSpec c : source) {
                if (schema.indexOf(c.name()) < 0) {
                    (missing == null ? missing = new ArrayList<>() : missing).add(c);
                }
            }
            return missing == null ? schema : tables.ensure(ref, map(missing), schema.primaryKey());
        }
        List<TableSchema.Column> columns = new ArrayList<>(map(source));
        columns.addAll(metadata);
        return tables.ensure(ref, columns, keyFields);
    }

    /**
     * A raw column whose source type changed ({@code ALTER COLUMN … TYPE}) takes the type that holds
     * the old values and the new ones ({@link ColumnTypes#widen}); each change is kept for the
     * batch to carry over the rows it read before ({@link #takeRetyped}).
     */
    private TableSchema retype(TableRef ref, TableSchema schema, List<ColumnSpec> source) {
        for (ColumnSpec c : source) {
            int at = schema.indexOf(c.name());
            if (at < 0) {
                continue;
            }
            DuckType held = schema.column(at).type();
            DuckType incoming = map(List.of(c)).get(0).type();
            if (held.equals(incoming)) {
                continue;
            }
            boolean key = schema.isKey(at);
            ColumnTypes.Change change = key ? ColumnTypes.widenKey(held, incoming) : ColumnTypes.widen(held, incoming);
            boolean emptied = key && !change.exact();
            if (change.type().equals(held) && !emptied) {
                continue;
            }
            TableSchema now = tables.retype(ref, c.name(), change.type(), emptied);
            if (now != schema) {
                retyped.add(new Retyped(ref, at, held, change.type(), emptied, now.keyIndexes()));
                schema = now;
            }
        }
        return schema;
    }

    /**
     * A column given another type while a batch was read.
     *
     * @param emptied      the table was emptied (a key whose values do not carry over)
     * @param keyPositions the table's key columns
     */
    record Retyped(TableRef table, int position, DuckType from, DuckType to, boolean emptied, int[] keyPositions) {
    }

    /** The table was dropped: its versions' plans are of no use to one made again under the name. */
    void forget(TableRef ref) {
        plans.remove(ref);
    }

    /** The columns given another type since the last call. */
    List<Retyped> takeRetyped() {
        if (retyped.isEmpty()) {
            return List.of();
        }
        List<Retyped> out = List.copyOf(retyped);
        retyped.clear();
        return out;
    }

    static List<TableSchema.Column> map(List<ColumnSpec> specs) {
        List<TableSchema.Column> out = new ArrayList<>(specs.size());
        for (ColumnSpec c : specs) {
            try {
                out.add(new TableSchema.Column(c.name(), TypeMapping.of(c)));
            } catch (IllegalArgumentException e) {
                throw new MalformedEventException(e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<String> keyFields(ObjectNode key, TableRef ref, Map<String, ColumnSpec> specs) {
        if (key == null || key.isEmpty()) {
            throw new MalformedEventException("no key fields: " + ref + " needs a primary key");
        }
        Set<String> fields = new LinkedHashSet<>();
        for (Iterator<String> it = key.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!specs.isEmpty() && !specs.containsKey(f)) {
                throw new MalformedEventException("key field '" + f + "' is not a column of " + ref);
            }
            fields.add(f);
        }
        return List.copyOf(fields);
    }

    private static Map<String, ColumnSpec> byName(List<ColumnSpec> columns) {
        Map<String, ColumnSpec> out = new HashMap<>(columns.size() * 2);
        for (ColumnSpec c : columns) {
            out.put(c.name(), c);
        }
        return out;
    }
}
