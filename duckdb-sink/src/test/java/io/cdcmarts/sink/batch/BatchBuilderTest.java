package io.cdcmarts.sink.batch;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.sink.dlq.DeadLetterRow;
import io.cdcmarts.sink.duckdb.DuckType;
import io.cdcmarts.sink.duckdb.Layout;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.testing.ChangeEvents;
import io.cdcmarts.testing.InMemorySchemaLog;
import io.cdcmarts.testing.LeanMessages;
import io.cdcmarts.testing.LeanMessages.Lean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.cdcmarts.sink.testing.ChangeEvents.row;
import static org.assertj.core.api.Assertions.assertThat;

class BatchBuilderTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final TableRef ORDERS = new TableRef("raw", "orders");

    private final TopicNames topics = new TopicNames("shop");
    private final InMemoryTables tables = new InMemoryTables();
    private final BatchBuilder builder = new BatchBuilder(topics, tables, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ChangeEvents orders = ChangeEvents.table("orders").int64("id").string("status")
            .decimal("total", 10, 2).timestamptz("order_date");
    private final List<SourceRecord> records = new ArrayList<>();

    private void raw(byte[] key, byte[] value) {
        records.add(new SourceRecord(topics.raw("orders"), 0, records.size(), key, value));
    }

    @Test
    void aRawInsertCreatesTheTableWithItsKeyAndMetadataColumns() {
        var r = row("id", 42, "status", "paid", "total", new BigDecimal("19.9"), "order_date", "2024-03-10T10:00:00Z");
        raw(orders.key(r), orders.insert(r));

        Batch batch = builder.build(records);

        TableSchema schema = tables.find(ORDERS).orElseThrow();
        assertThat(schema.primaryKey()).containsExactly("id");
        assertThat(schema.columns()).extracting(TableSchema.Column::name)
                .containsExactly("id", "status", "total", "order_date", "_op", "_lsn", "_source_ts", "_ingested_at");
        assertThat(schema.column(2).type()).isEqualTo(DuckType.decimal(10, 2));
        RowChange change = batch.table(ORDERS).changes().iterator().next();
        assertThat(change.row()).containsExactly(42L, "paid", new BigDecimal("19.90"), Instant.parse("2024-03-10T10:00:00Z"),
                "c", 1000L, Instant.ofEpochMilli(ChangeEvents.sourceTsMs(1000)), NOW);
        assertThat(batch.nextOffsets()).containsEntry(new TopicPartition("shop.raw.orders", 0), 1L);
        assertThat(batch.newestSourceTs()).isEqualTo(Instant.ofEpochMilli(ChangeEvents.sourceTsMs(1000)));
    }

    @Test
    void aColumnAddedAtTheSourceWidensTheTable() {
        var first = row("id", 1, "status", "paid", "total", 1, "order_date", null);
        raw(orders.key(first), orders.insert(first));
        ChangeEvents widened = orders.withColumn("note", "string", null);
        var second = row("id", 2, "status", "paid", "total", 2, "order_date", null, "note", "gift");
        raw(widened.key(second), widened.insert(second));

        Batch batch = builder.build(records);

        assertThat(tables.ddl).containsExactly("create raw.orders", "add [note] to raw.orders");
        TableSchema schema = tables.find(ORDERS).orElseThrow();
        assertThat(schema.indexOf("note")).isEqualTo(8);
        List<RowChange> changes = List.copyOf(batch.table(ORDERS).changes());
        assertThat(changes.get(0).value(8)).isNull();
        assertThat(changes.get(1).value(8)).isEqualTo("gift");
    }

    @Test
    void aColumnWhoseSourceTypeChangesTakesATypeThatHoldsBothAndTheBatchsEarlierRowsCarryOver() {
        TableRef items = new TableRef("raw", "items");
        ChangeEvents before = ChangeEvents.table("items").int32("id").decimal("n", 10, 2).string("t").decimal("w", 12, 4);
        // ALTER COLUMN id TYPE bigint, n TYPE numeric(12,4), t TYPE int USING t::int, w TYPE numeric(10,2)
        ChangeEvents after = ChangeEvents.table("items").int64("id").decimal("n", 12, 4).int32("t").decimal("w", 10, 2);
        var one = row("id", 1, "n", new BigDecimal("3.25"), "t", "7", "w", new BigDecimal("1.2345"));
        var two = row("id", 2, "n", new BigDecimal("4.50"), "t", "8", "w", null);
        records.add(new SourceRecord(topics.raw("items"), 0, 0, before.key(one), before.insert(one)));
        records.add(new SourceRecord(topics.raw("items"), 0, 1, before.key(two), before.insert(two)));
        var oneAfter = row("id", 1, "n", new BigDecimal("3.2501"), "t", 7, "w", new BigDecimal("1.23"));
        records.add(new SourceRecord(topics.raw("items"), 0, 2, after.key(oneAfter), after.update(one, oneAfter)));

        Batch batch = builder.build(records);

        assertThat(batch.deadLetters()).isEmpty();
        // t: text -> int keeps VARCHAR, holding the number's text; w: numeric(12,4) -> numeric(10,2) keeps DECIMAL(12,4)
        assertThat(tables.ddl).containsExactly("create raw.items", "retype id of raw.items to BIGINT",
                "retype n of raw.items to DECIMAL(12,4)");
        TableSchema schema = tables.find(items).orElseThrow();
        assertThat(schema.columns().subList(0, 4)).extracting(TableSchema.Column::type)
                .containsExactly(DuckType.BIGINT, DuckType.decimal(12, 4), DuckType.VARCHAR, DuckType.decimal(12, 4));
        // one change per key: the update of id 1 folded onto the insert read with the old key type
        List<RowChange> changes = List.copyOf(batch.table(items).changes());
        assertThat(changes).extracting(RowChange::key).containsExactly(new RowKey(2L), new RowKey(1L));
        assertThat(changes.get(0).row()).startsWith(2L, new BigDecimal("4.5000"), "8", null);
        assertThat(changes.get(1).row()).startsWith(1L, new BigDecimal("3.2501"), "7", new BigDecimal("1.2300"));
    }

    @Test
    void aKeyWhoseValuesDoNotCarryOverToItsNewTypeEmptiesTheTableForTheResentRows() {
        TableRef codes = new TableRef("raw", "codes");
        ChangeEvents before = ChangeEvents.table("codes").string("id").string("v");
        ChangeEvents after = ChangeEvents.table("codes").int32("id").string("v");
        var old = row("id", "0042", "v", "old");
        records.add(new SourceRecord(topics.raw("codes"), 0, 0, before.key(old), before.insert(old)));
        var resent = row("id", 42, "v", "old");
        records.add(new SourceRecord(topics.raw("codes"), 0, 1, after.key(resent), after.read(resent)));

        Batch batch = builder.build(records);

        assertThat(tables.ddl).containsExactly("create raw.codes", "retype id of raw.codes to INTEGER, emptied");
        TableBatch t = batch.table(codes);
        assertThat(t.truncated()).isTrue();
        assertThat(t.changes()).extracting(RowChange::key).containsExactly(new RowKey(42));
    }

    /** Capture's marker of a table dropped at the source: a truncate event under this key. */
    private static final byte[] DROPPED = ("{\"" + RawChangeEvent.DROPPED_KEY_FIELD + "\":true}").getBytes(StandardCharsets.UTF_8);

    @Test
    void aTableDroppedAtTheSourceIsDroppedAndOneMadeAgainUnderItsNameStartsAnew() {
        TableRef items = new TableRef("raw", "items");
        ChangeEvents old = ChangeEvents.table("items").int32("id").string("v");
        // DROP TABLE items; CREATE TABLE items (code text PRIMARY KEY, n bigint)
        ChangeEvents made = ChangeEvents.table("items").string("code").int64("n").key("code");
        var a = row("id", 1, "v", "old");
        records.add(new SourceRecord(topics.raw("items"), 0, 0, old.key(a), old.insert(a)));
        records.add(new SourceRecord(topics.raw("items"), 0, 1, DROPPED, old.truncate()));
        var b = row("code", "x", "n", 5);
        records.add(new SourceRecord(topics.raw("items"), 0, 2, made.key(b), made.read(b)));

        Batch batch = builder.build(records);

        assertThat(batch.deadLetters()).isEmpty();
        assertThat(tables.ddl).containsExactly("create raw.items", "drop raw.items", "create raw.items");
        TableSchema schema = tables.find(items).orElseThrow();
        assertThat(schema.primaryKey()).containsExactly("code");
        assertThat(schema.columns()).extracting(TableSchema.Column::name).startsWith("code", "n").doesNotContain("id", "v");
        // the old table's row is gone with it; nothing to empty in the new one
        assertThat(batch.table(items).changes()).extracting(RowChange::key).containsExactly(new RowKey("x"));
        assertThat(batch.table(items).truncated()).isFalse();
        assertThat(batch.nextOffsets()).containsEntry(new TopicPartition("shop.raw.items", 0), 3L);
    }

    @Test
    void aDroppedTableNeverMadeAgainLeavesNothingInTheBatchAndATruncateStillOnlyEmpties() {
        var a = row("id", 1, "status", "paid", "total", 1, "order_date", null);
        raw(orders.key(a), orders.insert(a));
        raw("{\"__cdc_marts_truncate\":true}".getBytes(StandardCharsets.UTF_8), orders.truncate());
        Batch truncated = builder.build(records);
        assertThat(truncated.table(ORDERS).truncated()).isTrue();
        records.clear();

        raw(orders.key(a), orders.insert(a));
        raw(DROPPED, orders.truncate());
        Batch batch = builder.build(records);

        assertThat(tables.ddl).containsExactly("create raw.orders", "drop raw.orders");
        assertThat(tables.find(ORDERS)).isEmpty();
        assertThat(batch.tables()).isEmpty();
    }

    @Test
    void aLeanRawMessageIsReadWithTheSchemaItsHeaderNamesAsTheInlineOneIs() {
        // Given the same insert inline (an old topic) and lean, its schema on the schema log
        InMemorySchemaLog log = new InMemorySchemaLog();
        BatchBuilder leanBuilder = new BatchBuilder(topics, new InMemoryTables(), Clock.fixed(NOW, ZoneOffset.UTC),
                new SchemaDirectory(log));
        var r = row("id", 42, "status", "paid", "total", new BigDecimal("19.9"), "order_date", "2024-03-10T10:00:00Z");
        byte[] insert = orders.insert(r);
        Lean lean = LeanMessages.of(insert);
        log.add(lean.schemaId(), lean.schemaJson());
        raw(orders.key(r), insert);

        // When
        Batch inline = builder.build(records);
        Batch read = leanBuilder.build(List.of(new SourceRecord(topics.raw("orders"), 0, 0, orders.key(r), lean.payload(),
                lean.schemaId())));

        // Then the same row, types and all
        assertThat(read.malformedByLayer()).isEmpty();
        assertThat(read.table(ORDERS).changes().iterator().next().row())
                .containsExactly(inline.table(ORDERS).changes().iterator().next().row());
    }

    @Test
    void aLeanRawMessageWhoseSchemaIsNotFoundIsADeadLetter() {
        // Given a payload naming a schema the log does not have
        BatchBuilder leanBuilder = new BatchBuilder(topics, tables, Clock.fixed(NOW, ZoneOffset.UTC),
                new SchemaDirectory(new InMemorySchemaLog()));
        var r = row("id", 1, "status", "paid", "total", 1, "order_date", null);
        Lean lean = LeanMessages.of(orders.insert(r));

        // When
        Batch batch = leanBuilder.build(List.of(new SourceRecord(topics.raw("orders"), 0, 0, orders.key(r), lean.payload(),
                lean.schemaId())));

        // Then
        assertThat(batch.malformedByLayer()).containsEntry("raw", 1);
        assertThat(batch.deadLetters()).extracting(DeadLetterRow::failuresJson)
                .singleElement().asString().contains(lean.schemaId()).contains("read to its end");
        assertThat(tables.find(ORDERS)).isEmpty();
    }

    @Test
    void toastPlaceholdersAreMarkedNotWritten() {
        var before = row("id", 1, "status", "paid", "total", 1, "order_date", null);
        var after = row("id", 1, "status", RawChangeEvent.UNAVAILABLE_VALUE, "total", 2, "order_date", null);
        raw(orders.key(after), orders.update(before, after));

        Batch batch = builder.build(records);

        RowChange change = batch.table(ORDERS).changes().iterator().next();
        assertThat(change.isUnavailable(1)).isTrue();
        // The row keeps the placeholder's text; the applier puts the stored value in its place.
        assertThat(change.value(1)).isEqualTo(RawChangeEvent.UNAVAILABLE_VALUE);
    }

    @Test
    void debeziumsDefaultPlaceholderTextIsAnOrdinaryValue() {
        var after = row("id", 1, "status", RawChangeEvent.DEBEZIUM_DEFAULT_PLACEHOLDER, "total", 2, "order_date", null);
        raw(orders.key(after), orders.insert(after));

        RowChange change = builder.build(records).table(ORDERS).changes().iterator().next();

        assertThat(change.hasUnavailable()).isFalse();
        assertThat(change.value(1)).isEqualTo(RawChangeEvent.DEBEZIUM_DEFAULT_PLACEHOLDER);
    }

    @Test
    void malformedMessagesBecomeDeadLettersAndTheRestOfTheBatchGoesOn() {
        byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
        raw("{\"id\":1}".getBytes(StandardCharsets.UTF_8), notJson);
        raw("{\"id\":2}".getBytes(StandardCharsets.UTF_8), "{\"foo\": 1}".getBytes(StandardCharsets.UTF_8));
        var fine = row("id", 3, "status", "paid", "total", 1, "order_date", null);
        raw(orders.key(fine), orders.insert(fine));
        var tooBig = row("id", 4, "status", "paid", "total", new BigDecimal("123456789.123"), "order_date", null);
        raw(orders.key(tooBig), orders.insert(tooBig));

        Batch batch = builder.build(records);

        assertThat(batch.table(ORDERS).size()).isEqualTo(1);
        assertThat(batch.malformedByLayer()).containsEntry("raw", 3);
        List<DeadLetterRow> dead = List.copyOf(batch.deadLetters());
        assertThat(dead).extracting(DeadLetterRow::sourceOffset).containsExactly(0L, 1L, 3L);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.checks()).containsExactly(DeadLetter.MALFORMED);
            assertThat(d.reportedBy()).isEqualTo(DeadLetterRow.Origin.SINK);
            assertThat(d.sourceTopic()).isEqualTo("shop.raw.orders");
            assertThat(d.table()).isEqualTo("orders");
        });
        assertThat(Base64.getDecoder().decode(dead.get(0).rawBase64())).isEqualTo(notJson);
        assertThat(dead.get(0).keyJson()).isEqualTo("{\"id\":1}");
        assertThat(dead.get(0).failuresJson()).contains("not JSON");
        assertThat(dead.get(2).failuresJson()).contains("total");
        assertThat(batch.nextOffsets()).containsEntry(new TopicPartition("shop.raw.orders", 0), 4L);
    }

    @Test
    void aNumberWhereTheColumnsSemanticTypeIsATimestampStringIsADeadLetterNotAStoredValue() {
        // Given an order_date of 1700000000000 where the schema says io.debezium.time.ZonedTimestamp (a string)
        var wrong = row("id", 1, "status", "paid", "total", 1, "order_date", 1_700_000_000_000L);
        raw(orders.key(wrong), orders.insert(wrong));
        var fine = row("id", 2, "status", "paid", "total", 1, "order_date", "2024-03-10T10:00:00Z");
        raw(orders.key(fine), orders.insert(fine));

        // When the batch is built
        Batch batch = builder.build(records);

        // Then it is a dead letter naming the column and its type (never read as microseconds), and the next row is written
        assertThat(batch.table(ORDERS).changes()).extracting(c -> c.value(0)).containsExactly(2L);
        DeadLetterRow dead = batch.deadLetters().iterator().next();
        assertThat(dead.checks()).containsExactly(DeadLetter.MALFORMED);
        assertThat(dead.sourceOffset()).isZero();
        assertThat(dead.failuresJson()).contains("order_date", "io.debezium.time.ZonedTimestamp");
    }

    @Test
    void aLargeUnreadableValueKeepsAPrefixItsLengthAndItsDigest() throws Exception {
        // Given a 900 KB value that is not JSON (kept whole in base64 its dead letter would be 1.2 MB)
        byte[] huge = "#".repeat(900 * 1024).getBytes(StandardCharsets.UTF_8);
        raw("{\"id\":1}".getBytes(StandardCharsets.UTF_8), huge);
        byte[] small = "not json".getBytes(StandardCharsets.UTF_8);
        raw("{\"id\":2}".getBytes(StandardCharsets.UTF_8), small);

        // When the batch is built
        List<DeadLetterRow> dead = List.copyOf(builder.build(records).deadLetters());

        // Then the large one keeps its first 64 KiB, its length and its SHA-256; the small one its bytes whole
        assertThat(Base64.getDecoder().decode(dead.get(0).rawBase64()))
                .isEqualTo(java.util.Arrays.copyOf(huge, io.cdcmarts.common.event.KeptBytes.WHOLE_LIMIT));
        assertThat(dead.get(0).rawLength()).isEqualTo(huge.length);
        assertThat(dead.get(0).rawSha256()).isEqualTo(java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(huge)));
        assertThat(Base64.getDecoder().decode(dead.get(1).rawBase64())).isEqualTo(small);
        assertThat(dead.get(1).rawLength()).isNull();
        assertThat(dead.get(1).rawSha256()).isNull();
    }

    @Test
    void anEventReadInPlaceThatTurnsOutMalformedWritesNothing() {
        // Given a table version the builder knows, so that its next events' images are converted as they are read
        var first = row("id", 1, "status", "paid", "total", 1, "order_date", null);
        raw(orders.key(first), orders.insert(first));
        var second = row("id", 2, "status", "paid", "total", 2, "order_date", null);
        String insert = new String(orders.insert(second), StandardCharsets.UTF_8);
        // … and events of it whose trouble only shows after the image
        raw(orders.key(second), insert.replace("\"op\":\"c\"", "\"op\":\"x\"").getBytes(StandardCharsets.UTF_8));
        raw(orders.key(second), insert.substring(0, insert.length() - 3).getBytes(StandardCharsets.UTF_8));
        raw(orders.key(second), insert.replace("\"postgresql\"", "postgresql").getBytes(StandardCharsets.UTF_8));
        var tooBig = row("id", 3, "status", "paid", "total", new BigDecimal("123456789.123"), "order_date", null);
        raw(orders.key(tooBig), orders.insert(tooBig));

        // When the batch is built
        Batch batch = builder.build(records);

        // Then only the first row is written, the others are dead letters for the reasons a tree of them gives
        assertThat(batch.table(ORDERS).changes()).extracting(c -> c.value(0)).containsExactly(1L);
        assertThat(batch.deadLetters()).extracting(DeadLetterRow::failuresJson).satisfiesExactly(
                f -> assertThat(f).contains("'payload.op' is missing or not one of c, u, d, r, t: x"),
                f -> assertThat(f).contains("not JSON: Unexpected end-of-input"),
                f -> assertThat(f).contains("not JSON: Unrecognized token 'postgresql'"),
                f -> assertThat(f).contains("column 'total' (DECIMAL(10,2))"));
    }

    @Test
    void aTombstoneForATableThatDoesNotExistDeletesNothingAndIsCounted() {
        // Given tombstones of rows whose inserts compaction removed, in every keyed layer
        byte[] key = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        raw(key, null);
        records.add(new SourceRecord(topics.stg("orders"), 0, 0, key, null));
        records.add(new SourceRecord(topics.mart("sales_daily"), 0, 0, "{\"day\":\"2024-03-01\"}".getBytes(StandardCharsets.UTF_8), null));
        records.add(new SourceRecord(topics.openFailures(), 0, 0,
                "{\"table\":\"orders\",\"key\":{\"id\":1}}".getBytes(StandardCharsets.UTF_8), null));

        // When the batch is built
        Batch batch = builder.build(records);

        // Then nothing is created, written or dead-lettered, but every tombstone is counted and consumed
        assertThat(batch.deadLetters()).isEmpty();
        assertThat(batch.tables()).isEmpty();
        assertThat(tables.tables).isEmpty();
        assertThat(batch.unknownTombstonesByLayer()).containsEntry("raw", 1).containsEntry("stg", 1)
                .containsEntry("mart", 1).containsEntry("quality", 1);
        assertThat(batch.nextOffsets()).hasSize(4);
        assertThat(batch.malformedByLayer()).isEmpty();
    }

    @Test
    void aTombstoneWithoutAKeyIsADeadLetter() {
        raw(null, null);

        Batch batch = builder.build(records);

        DeadLetterRow dead = batch.deadLetters().iterator().next();
        assertThat(dead.failuresJson()).contains("tombstone without a key");
        assertThat(dead.rawBase64()).isNull();
        assertThat(batch.unknownTombstonesByLayer()).isEmpty();
    }

    @Test
    void aKeyThatDoesNotMatchThePrimaryKeyIsADeadLetter() {
        var r = row("id", 1, "status", "paid", "total", 1, "order_date", null);
        raw(orders.key(r), orders.insert(r));
        raw("{\"status\":\"paid\"}".getBytes(StandardCharsets.UTF_8), orders.insert(r));

        Batch batch = builder.build(records);

        assertThat(batch.deadLetters()).singleElement()
                .satisfies(d -> assertThat(d.failuresJson()).contains("do not match the primary key"));
    }

    @Test
    void theProcessorsDeadLetterWinsOverTheSinksOwnForTheSameMessageWhateverTheOrder() {
        byte[] garbage = "{{{".getBytes(StandardCharsets.UTF_8);
        DeadLetter processor = new DeadLetter("orders", null, null,
                List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, "not JSON")),
                new DeadLetter.Source("shop.raw.orders", 0, 0, -1, null), NOW,
                Base64.getEncoder().encodeToString(garbage));
        List<SourceRecord> rawFirst = List.of(
                new SourceRecord("shop.raw.orders", 0, 0, null, garbage),
                new SourceRecord("shop.dlq.orders", 0, 7, null, processor.toBytes()));
        List<SourceRecord> dlqFirst = List.of(rawFirst.get(1), rawFirst.get(0));

        for (List<SourceRecord> order : List.of(rawFirst, dlqFirst)) {
            Batch batch = builder.build(order);
            assertThat(batch.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.reportedBy()).isEqualTo(DeadLetterRow.Origin.PROCESSOR);
                assertThat(d.dlqOffset()).isEqualTo(7L);
                assertThat(d.sourceLsn()).isNull();
            });
        }
    }

    @Test
    void openFailuresAreKeyedByTableAndTheRowKeyAsJson() {
        ChangeEvents failure = ChangeEvents.table("open_failures").string("table").string("key").string("checks")
                .timestamptz("since").int64("last_lsn");
        byte[] key = "{\"table\":\"customers\",\"key\":{\"id\":42}}".getBytes(StandardCharsets.UTF_8);
        byte[] value = failure.typedRow(row("table", "customers", "key", "{\"id\":42}", "checks", "not_null",
                "since", "2024-03-10T10:00:00Z", "last_lsn", 77));
        records.add(new SourceRecord(topics.openFailures(), 0, 0, key, value));
        records.add(new SourceRecord(topics.openFailures(), 0, 1, key, null));
        records.add(new SourceRecord(topics.openFailures(), 0, 2, key, value));

        Batch batch = builder.build(records);

        TableSchema schema = tables.find(Layout.OPEN_FAILURES).orElseThrow();
        assertThat(schema.primaryKey()).containsExactly("table", "key");
        assertThat(schema.column(1).type()).isEqualTo(DuckType.JSON);
        RowChange change = batch.table(Layout.OPEN_FAILURES).changes().iterator().next();
        assertThat(change.delete()).isFalse();
        assertThat(change.row()).containsExactly("customers", "{\"id\":42}", "not_null",
                Instant.parse("2024-03-10T10:00:00Z"), 77L);
        assertThat(batch.consumedByLayer()).containsEntry("quality", 3);
    }
}
