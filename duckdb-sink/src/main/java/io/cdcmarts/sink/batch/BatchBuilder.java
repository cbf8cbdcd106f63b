package io.cdcmarts.sink.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.ChangeEventEnvelope;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.KeptBytes;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.TypedRowEnvelope;
import io.cdcmarts.sink.dlq.DeadLetterRow;
import io.cdcmarts.sink.duckdb.ColumnTypes;
import io.cdcmarts.sink.duckdb.Layout;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.Tables;
import io.cdcmarts.sink.duckdb.ValueConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads polls into a batch: parses every message, creates and widens the tables its schemas describe,
 * converts values to their columns' types and folds the rows per table and key. A message that
 * cannot be read becomes a dead letter ({@code check = malformed}, its bytes in base64) of the same
 * batch, is counted and logged once; it never stops the batch. A raw message is read in either
 * form: lean (its header names a schema, looked up in the {@link SchemaDirectory}) or inline.
 */
public final class BatchBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(BatchBuilder.class);

    /** The layer label of the open-failures topic. */
    public static final String QUALITY_LAYER = "quality";
    /** The layer label of a topic that is none of ours. */
    private static final String OTHER_LAYER = "other";

    private final TopicNames topics;
    private final Tables tables;
    private final Clock clock;
    private final DecodePlans plans;
    private final SchemaDirectory schemas;
    private final Map<String, Route> routes = new HashMap<>();

    /** For raw topics with inline envelopes only: a lean raw message is a dead letter to it. */
    public BatchBuilder(TopicNames topics, Tables tables, Clock clock) {
        this(topics, tables, clock, SchemaDirectory.NONE);
    }

    /** @param schemas where lean raw messages find their schemas (not closed by this) */
    public BatchBuilder(TopicNames topics, Tables tables, Clock clock, SchemaDirectory schemas) {
        this.topics = topics;
        this.tables = tables;
        this.clock = clock;
        this.plans = new DecodePlans(tables);
        this.schemas = schemas;
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
        Route route = routes.computeIfAbsent(r.topic(), this::route);
        batch.consumed(r, route.layer());
        try {
            switch (route.layer()) {
                case "raw" -> raw(batch, r, route.table());
                case "stg", "mart" -> typed(batch, r, route.table());
                case "dlq" -> deadLetter(batch, r);
                case QUALITY_LAYER -> openFailure(batch, r);
                // Not one of ours (the subscription pattern should never let it in): skip, but move on.
                case OTHER_LAYER -> { }
                default -> throw new IllegalStateException("unknown layer " + route.layer());
            }
        } catch (MalformedEventException | ValueConverter.ValueException e) {
            malformed(batch, r, route.layer(), route.name(), e.getMessage());
        }
    }

    /**
     * Where a topic's messages go: the layer, the table's name and, for rows, the table. Worked out
     * once per topic, not per message.
     */
    private record Route(String layer, String name, TableRef table) {
    }

    private Route route(String topic) {
        if (topic.equals(topics.openFailures())) {
            return new Route(QUALITY_LAYER, Layout.OPEN_FAILURES.name(), Layout.OPEN_FAILURES);
        }
        Optional<TopicNames.Parsed> parsed = topics.parse(topic);
        if (parsed.isEmpty()) {
            return new Route(OTHER_LAYER, null, null);
        }
        String name = parsed.get().name();
        return switch (parsed.get().layer()) {
            case RAW -> new Route(TableRef.RAW, name, new TableRef(TableRef.RAW, name));
            case STG -> new Route(TableRef.STG, name, new TableRef(TableRef.STG, name));
            case MART -> new Route(TableRef.MART, name, new TableRef(TableRef.MART, name));
            case DLQ -> new Route(parsed.get().layer().segment(), name, null);
        };
    }

    // ---- raw: Debezium change events ---------------------------------------------------------

    private void raw(Batch batch, SourceRecord r, TableRef ref) {
        ObjectNode key = parseKey(r.key());
        if (r.value() == null) {
            tombstone(batch, ref, key);
            return;
        }
        // The after image is converted where it stands when its table version is known already.
        ChangeEventEnvelope<DecodePlan.Image> e = ChangeEventEnvelope.read(r.value(), r.schemaId(), schemas, (columns, p) -> {
            DecodePlan known = key == null ? null : plans.find(ref, columns, key);
            return known == null ? null : known.read(p);
        });
        if ("t".equals(e.op()) && key != null && key.has(RawChangeEvent.DROPPED_KEY_FIELD)) {
            // DROP TABLE at the source (capture's marker, in order): the copy goes too, so a table
            // made again under the name gets its own columns and key, and none of the old rows.
            batch.drop(ref);
            plans.forget(ref);
            if (tables.find(ref).isPresent()) {
                tables.drop(ref);
            }
            return;
        }
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
        // A delete event carries the table's schema too: an unknown table exists from now on, empty.
        DecodePlan plan;
        try {
            plan = plans.plan(ref, e.columns(), key, Layout.RAW_METADATA);
        } finally {
            carryRetyped(batch); // also when the message is malformed after its table changed
        }
        if (e.isDelete()) {
            Object[] keyRow = plan.newRow();
            batch.table(ref).delete(plan.keyOf(key, keyRow), keyRow);
            batch.sourceTs(e.sourceTsMs() > 0 ? Instant.ofEpochMilli(e.sourceTsMs()) : null);
            return;
        }
        TableSchema schema = plan.schema();
        DecodePlan.Image image = e.afterRead() != null && e.afterRead().plan() == plan ? e.afterRead() : plan.read(e.after());
        Object[] row = image.rowOrThrow();
        RowKey rowKey = plan.keyOf(key, row);
        row[schema.indexOf(Layout.OP)] = e.op();
        row[schema.indexOf(Layout.LSN)] = e.lsn() >= 0 ? e.lsn() : null;
        Instant sourceTs = e.sourceTsMs() > 0 ? Instant.ofEpochMilli(e.sourceTsMs()) : null;
        row[schema.indexOf(Layout.SOURCE_TS)] = sourceTs;
        row[schema.indexOf(Layout.INGESTED_AT)] = batch.ingestedAt();
        // Debezium puts its placeholder for an unchanged TOASTed value into updates (and the create
        // of a primary-key change) only: in a snapshot read the same value is the row's real one.
        batch.table(ref).upsert(rowKey, row, "r".equals(e.op()) ? null : image.unavailable());
        batch.sourceTs(sourceTs);
    }

    /** Rows read before a column took another type now hold the new type's values (or nothing, when emptied). */
    private void carryRetyped(Batch batch) {
        for (DecodePlans.Retyped r : plans.takeRetyped()) {
            TableBatch t = batch.table(r.table());
            if (r.emptied()) {
                t.truncate();
            } else {
                t.carry(r.position(), v -> ColumnTypes.carry(v, r.from(), r.to()), r.keyPositions());
            }
        }
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
        TypedRowEnvelope typed = TypedRowEnvelope.read(r.value(), r.schemaId(), schemas);
        DecodePlan plan = plans.plan(ref, typed.columns(), key, List.of());
        DecodePlan.Image image = plan.read(typed.values());
        Object[] row = image.rowOrThrow();
        RowKey rowKey = plan.keyOf(key, row);
        batch.table(ref).upsert(rowKey, row, image.unavailable());
        int ts = plan.schema().indexOf(Layout.SOURCE_TS);
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
        TypedRowEnvelope typed = TypedRowEnvelope.read(r.value(), r.schemaId(), schemas);
        List<ColumnSpec> rest = typed.columns().stream()
                .filter(c -> !c.name().equals(Layout.OPEN_FAILURES_TABLE) && !c.name().equals(Layout.OPEN_FAILURES_KEY))
                .toList();
        List<TableSchema.Column> columns = new ArrayList<>(Layout.OPEN_FAILURES_KEY_COLUMNS);
        columns.addAll(DecodePlans.map(rest));
        TableSchema schema = ensureColumns(ref, columns, List.of(Layout.OPEN_FAILURES_TABLE, Layout.OPEN_FAILURES_KEY));
        // Keyed by the message key's two parts, not by columns: the plan only places the other columns.
        DecodePlan.Image image = new DecodePlan(rest, schema, List.of(), Map.of()).read(typed.values());
        Object[] row = image.rowOrThrow();
        row[schema.indexOf(Layout.OPEN_FAILURES_TABLE)] = keyParts[0];
        row[schema.indexOf(Layout.OPEN_FAILURES_KEY)] = keyParts[1];
        batch.table(ref).upsert(new RowKey(keyParts), row, image.unavailable());
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
                dl.detectedAt() != null ? dl.detectedAt() : batch.ingestedAt(),
                new KeptBytes(dl.rawBase64(), dl.rawLength(), dl.rawSha256()),
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
                failures, List.of(DeadLetter.MALFORMED), null, null, batch.ingestedAt(), KeptBytes.of(r.value()),
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
        Optional<TableSchema> schema = tables.find(ref);
        if (schema.isEmpty()) {
            batch.unknownTombstone(ref.schema());
            return;
        }
        Object[] row = new Object[schema.get().size()];
        batch.table(ref).delete(new KeyColumns(schema.get(), Map.of()).read(key, row), row);
    }

    private TableSchema ensureColumns(TableRef ref, List<TableSchema.Column> columns, List<String> key) {
        Optional<TableSchema> existing = tables.find(ref);
        if (existing.isPresent() && columns.stream().allMatch(c -> existing.get().indexOf(c.name()) >= 0)) {
            return existing.get();
        }
        return tables.ensure(ref, columns, key);
    }

    private static Object[] keyRow(TableSchema schema, Object[] keyParts) {
        Object[] row = new Object[schema.size()];
        int[] idx = schema.keyIndexes();
        for (int k = 0; k < idx.length; k++) {
            row[idx[k]] = keyParts[k];
        }
        return row;
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
