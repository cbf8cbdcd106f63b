package io.cdcmarts.sink.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.sink.dlq.DeadLetterRow;
import io.cdcmarts.sink.duckdb.Layout;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.Tables;
import io.cdcmarts.sink.duckdb.TypeMapping;
import io.cdcmarts.sink.duckdb.ValueConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads polls into a batch: parses every message, creates and widens the tables its schemas describe,
 * converts values to their columns' types and folds the rows per table and key. A message that
 * cannot be read becomes a dead letter ({@code check = malformed}, its bytes in base64) of the same
 * batch, is counted and logged once; it never stops the batch.
 */
public final class BatchBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(BatchBuilder.class);

    /** The layer label of the open-failures topic. */
    public static final String QUALITY_LAYER = "quality";

    private final TopicNames topics;
    private final Tables tables;
    private final Clock clock;

    public BatchBuilder(TopicNames topics, Tables tables, Clock clock) {
        this.topics = topics;
        this.tables = tables;
        this.clock = clock;
    }

    /** Builds the batch of {@code records}, in their order. */
    public Batch build(Iterable<SourceRecord> records) {
        Batch batch = start();
        add(batch, records);
        return batch;
    }

    /** An empty batch, its raw rows ingested now; {@link #add(Batch, Iterable)} folds polls into it. */
    public Batch start() {
        return new Batch(clock.instant());
    }

    /** Folds {@code records}, in their order, into {@code batch} (after the records already in it). */
    public void add(Batch batch, Iterable<SourceRecord> records) {
        for (SourceRecord r : records) {
            add(batch, r);
        }
    }

    private void add(Batch batch, SourceRecord r) {
        String layer;
        String name;
        if (r.topic().equals(topics.openFailures())) {
            layer = QUALITY_LAYER;
            name = Layout.OPEN_FAILURES.name();
        } else {
            Optional<TopicNames.Parsed> parsed = topics.parse(r.topic());
            if (parsed.isEmpty()) {
                // Not one of ours (the subscription pattern should never let it in): skip, but move on.
                batch.consumed(r, "other");
                return;
            }
            layer = parsed.get().layer().segment();
            name = parsed.get().name();
        }
        batch.consumed(r, layer);
        try {
            switch (layer) {
                case "raw" -> raw(batch, r, new TableRef(TableRef.RAW, name));
                case "stg" -> typed(batch, r, new TableRef(TableRef.STG, name));
                case "mart" -> typed(batch, r, new TableRef(TableRef.MART, name));
                case "dlq" -> deadLetter(batch, r);
                case QUALITY_LAYER -> openFailure(batch, r);
                default -> throw new IllegalStateException("unknown layer " + layer);
            }
        } catch (MalformedEventException | ValueConverter.ValueException e) {
            malformed(batch, r, layer, name, e.getMessage());
        }
    }

    // ---- raw: Debezium change events ---------------------------------------------------------

    private void raw(Batch batch, SourceRecord r, TableRef ref) {
        ObjectNode key = parseKey(r.key());
        if (r.value() == null) {
            tombstone(batch, ref, key);
            return;
        }
        RawChangeEvent e = RawChangeEvent.parse(r.value());
        Map<String, ColumnSpec> specs = byName(e.columns());
        if ("t".equals(e.op())) {
            // TRUNCATE: only a table we have can be emptied.
            if (tables.find(ref).isPresent()) {
                batch.table(ref).truncate();
            }
            return;
        }
        if (key == null) {
            throw new MalformedEventException("a change event without a key: raw tables need the source's primary key");
        }
        if (e.isDelete()) {
            // A delete event carries the table's schema: an unknown table exists from now on, empty.
            ensure(ref, e.columns(), keyFields(key, ref, specs), Layout.RAW_METADATA);
            delete(batch, ref, key, specs, "delete event");
            batch.sourceTs(e.sourceTsMs() > 0 ? Instant.ofEpochMilli(e.sourceTsMs()) : null);
            return;
        }
        TableSchema schema = ensure(ref, e.columns(), keyFields(key, ref, specs), Layout.RAW_METADATA);
        Object[] row = new Object[schema.size()];
        BitSet unavailable = fill(schema, row, e.columns(), e.after());
        RowKey rowKey = keyOf(schema, key, specs, row);
        row[schema.indexOf(Layout.OP)] = e.op();
        row[schema.indexOf(Layout.LSN)] = e.lsn() >= 0 ? e.lsn() : null;
        Instant sourceTs = e.sourceTsMs() > 0 ? Instant.ofEpochMilli(e.sourceTsMs()) : null;
        row[schema.indexOf(Layout.SOURCE_TS)] = sourceTs;
        row[schema.indexOf(Layout.INGESTED_AT)] = batch.ingestedAt();
        batch.table(ref).upsert(rowKey, row, unavailable);
        batch.sourceTs(sourceTs);
    }

    // ---- stg and mart: typed rows ------------------------------------------------------------

    private void typed(Batch batch, SourceRecord r, TableRef ref) {
        ObjectNode key = parseKey(r.key());
        if (key == null) {
            throw new MalformedEventException("a row without a key: " + ref.schema() + " tables are keyed");
        }
        if (r.value() == null) {
            tombstone(batch, ref, key);
            return;
        }
        TypedRow typed = TypedRow.parse(r.value());
        Map<String, ColumnSpec> specs = byName(typed.columns());
        TableSchema schema = ensure(ref, typed.columns(), keyFields(key, ref, specs), List.of());
        Object[] row = new Object[schema.size()];
        BitSet unavailable = fill(schema, row, typed.columns(), typed.values());
        RowKey rowKey = keyOf(schema, key, specs, row);
        batch.table(ref).upsert(rowKey, row, unavailable);
        int ts = schema.indexOf(Layout.SOURCE_TS);
        if (ts >= 0 && row[ts] instanceof Instant sourceTs) {
            batch.sourceTs(sourceTs);
        }
    }

    // ---- quality.open_failures -----------------------------------------------------------------

    private void openFailure(Batch batch, SourceRecord r) {
        ObjectNode key = parseKey(r.key());
        JsonNode table = key == null ? null : key.get(Layout.OPEN_FAILURES_TABLE);
        JsonNode rowKey = key == null ? null : key.get(Layout.OPEN_FAILURES_KEY);
        if (table == null || !table.isTextual() || rowKey == null || rowKey.isNull()) {
            throw new MalformedEventException("an open-failures key must be {\"table\": text, \"key\": {...}}");
        }
        Object[] keyParts = {table.textValue(), writeJson(rowKey)};
        TableRef ref = Layout.OPEN_FAILURES;
        if (r.value() == null) {
            Optional<TableSchema> schema = tables.find(ref);
            if (schema.isEmpty()) {
                batch.unknownTombstone(QUALITY_LAYER); // nothing to delete: see Batch#unknownTombstonesByLayer
                return;
            }
            batch.table(ref).delete(new RowKey(keyParts), keyRow(schema.get(), keyParts));
            return;
        }
        TypedRow typed = TypedRow.parse(r.value());
        List<ColumnSpec> rest = typed.columns().stream()
                .filter(c -> !c.name().equals(Layout.OPEN_FAILURES_TABLE) && !c.name().equals(Layout.OPEN_FAILURES_KEY))
                .toList();
        List<TableSchema.Column> columns = new ArrayList<>(Layout.OPEN_FAILURES_KEY_COLUMNS);
        columns.addAll(map(rest));
        TableSchema schema = ensureColumns(ref, columns, List.of(Layout.OPEN_FAILURES_TABLE, Layout.OPEN_FAILURES_KEY));
        Object[] row = new Object[schema.size()];
        BitSet unavailable = fill(schema, row, rest, typed.values());
        row[schema.indexOf(Layout.OPEN_FAILURES_TABLE)] = keyParts[0];
        row[schema.indexOf(Layout.OPEN_FAILURES_KEY)] = keyParts[1];
        batch.table(ref).upsert(new RowKey(keyParts), row, unavailable);
    }

    // ---- dlq: the processor's dead letters -----------------------------------------------------

    private void deadLetter(Batch batch, SourceRecord r) {
        if (r.value() == null) {
            return; // dead-letter topics are not compacted: a tombstone means nothing here
        }
        DeadLetter dl = DeadLetter.parse(r.value());
        DeadLetter.Source src = dl.source();
        if (src.topic() == null) {
            throw new MalformedEventException("a dead letter needs source.topic");
        }
        List<String> checks = dl.failures().stream().map(DeadLetter.Failure::check)
                .filter(c -> c != null).distinct().toList();
        batch.deadLetter(new DeadLetterRow(src.topic(), src.partition(), src.offset(), dl.table(),
                dl.key() == null || dl.key().isNull() ? null : writeJson(dl.key()),
                dl.row() == null || dl.row().isNull() ? null : writeJson(dl.row()),
                writeJson(Json.MAPPER.valueToTree(dl.failures())), checks,
                src.lsn() >= 0 ? src.lsn() : null, src.sourceTs(),
                dl.detectedAt() != null ? dl.detectedAt() : batch.ingestedAt(), dl.rawBase64(),
                DeadLetterRow.Origin.PROCESSOR, r.topic(), r.partition(), r.offset()));
    }

    // ---- malformed messages --------------------------------------------------------------------

    private void malformed(Batch batch, SourceRecord r, String layer, String table, String message) {
        // Jackson's messages run over several lines; one line reads better in a log and a table.
        String reason = message == null ? "unreadable" : message.lines().findFirst().orElse(message).trim();
        LOG.warn("Malformed message at {}-{} offset {} ({} layer, table {}): {}; written to quality.dead_letters",
                r.topic(), r.partition(), r.offset(), layer, table, reason);
        batch.malformed(layer);
        String failures = writeJson(Json.MAPPER.valueToTree(List.of(
                new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, reason))));
        batch.deadLetter(new DeadLetterRow(r.topic(), r.partition(), r.offset(), table, keyAsJson(r.key()), null,
                failures, List.of(DeadLetter.MALFORMED), null, null, batch.ingestedAt(),
                r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()),
                DeadLetterRow.Origin.SINK, null, null, null));
    }

    // ---- shared --------------------------------------------------------------------------------

    /**
     * A tombstone deletes the key's row; for a table the file does not have it deletes nothing and
     * is counted, not dead-lettered: after compaction removed every other message of a deleted row,
     * the tombstone is all a rebuild from offset 0 sees of it, and the live file has no such row either.
     */
    private void tombstone(Batch batch, TableRef ref, ObjectNode key) {
        if (key == null) {
            throw new MalformedEventException("tombstone without a key");
        }
        if (tables.find(ref).isEmpty()) {
            batch.unknownTombstone(ref.schema());
            return;
        }
        delete(batch, ref, key, Map.of(), "tombstone");
    }

    private void delete(Batch batch, TableRef ref, ObjectNode key, Map<String, ColumnSpec> specs, String what) {
        Optional<TableSchema> found = tables.find(ref);
        if (found.isEmpty()) {
            throw new MalformedEventException(what + " for table " + ref + " that does not exist yet");
        }
        if (key == null) {
            throw new MalformedEventException(what + " without a key");
        }
        TableSchema schema = found.get();
        Object[] row = new Object[schema.size()];
        RowKey rowKey = keyOf(schema, key, specs, row);
        batch.table(ref).delete(rowKey, row);
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

    private TableSchema ensureColumns(TableRef ref, List<TableSchema.Column> columns, List<String> key) {
        Optional<TableSchema> existing = tables.find(ref);
        if (existing.isPresent() && columns.stream().allMatch(c -> existing.get().indexOf(c.name()) >= 0)) {
            return existing.get();
        }
        return tables.ensure(ref, columns, key);
    }

    private static List<TableSchema.Column> map(List<ColumnSpec> specs) {
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

    /** Converts the image's values into {@code row}; returns the TOAST-placeholder positions, or null. */
    private static BitSet fill(TableSchema schema, Object[] row, List<ColumnSpec> columns, ObjectNode image) {
        BitSet unavailable = null;
        for (ColumnSpec c : columns) {
            int i = schema.indexOf(c.name());
            JsonNode v = image.get(c.name());
            if (ValueConverter.isUnavailable(v)) {
                if (unavailable == null) {
                    unavailable = new BitSet();
                }
                unavailable.set(i);
                continue;
            }
            row[i] = ValueConverter.convert(c.name(), v, c, schema.column(i).type());
        }
        return unavailable;
    }

    /**
     * The row's key from the message key, also written into the row's key columns: the key is
     * what compaction and de-duplication go by, and a key column is never NULL in DuckDB.
     */
    private static RowKey keyOf(TableSchema schema, ObjectNode key, Map<String, ColumnSpec> specs, Object[] row) {
        List<String> pk = schema.primaryKey();
        Object[] parts = new Object[pk.size()];
        for (int k = 0; k < parts.length; k++) {
            String column = pk.get(k);
            JsonNode v = key.get(column);
            if (v == null || v.isNull()) {
                throw new MalformedEventException("key has no value for primary key column '" + column + "' of " + schema.table());
            }
            int i = schema.indexOf(column);
            parts[k] = ValueConverter.convert(column, v, specs.get(column), schema.column(i).type());
            row[i] = parts[k];
        }
        return new RowKey(parts);
    }

    private static Object[] keyRow(TableSchema schema, Object[] keyParts) {
        Object[] row = new Object[schema.size()];
        int[] idx = schema.keyIndexes();
        for (int k = 0; k < idx.length; k++) {
            row[idx[k]] = keyParts[k];
        }
        return row;
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

    /**
     * Keys are JSON objects of the key columns; a key written with the JSON converter's schemas on
     * ({@code {"schema":…, "payload":{…}}}) is read as its payload.
     */
    static ObjectNode parseKey(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedEventException("key is not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("key is not a JSON object");
        }
        if (node.size() == 2 && node.path("payload").isObject() && node.path("schema").isObject()) {
            return (ObjectNode) node.get("payload");
        }
        return (ObjectNode) node;
    }

    /** The key for a dead letter: its JSON when it is JSON, else the bytes as a JSON string. */
    private static String keyAsJson(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(key);
            if (node != null && !node.isMissingNode()) {
                return writeJson(node);
            }
        } catch (IOException e) {
            // not JSON: kept as text below
        }
        return writeJson(TextNode.valueOf(new String(key, StandardCharsets.UTF_8)));
    }

    private static String writeJson(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
