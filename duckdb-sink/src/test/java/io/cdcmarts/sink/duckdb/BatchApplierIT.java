package io.cdcmarts.sink.duckdb;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.sink.batch.SourceRecord;
import io.cdcmarts.sink.testing.ChangeEvents;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.cdcmarts.sink.testing.ChangeEvents.row;
import static io.cdcmarts.sink.testing.Rows.count;
import static io.cdcmarts.sink.testing.Rows.query;
import static io.cdcmarts.sink.testing.Rows.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The apply path on a real DuckDB file: types, upserts, deletes, TOAST, widening, dead letters, rollback. */
class BatchApplierIT {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private DuckDbFile file;
    private final ChangeEvents items = ChangeEvents.table("order_items").int64("id").int64("order_id").int32("quantity")
            .decimal("unit_price", 10, 2).decimal("total_price", 12, 2).timestamptz("created_at").date("ship_date")
            .timestamp("packed_at").uuid("token").json("attrs").bytes("blob").bool("gift").string("note");
    private long offset;

    @BeforeEach
    void open() throws Exception {
        file = new DuckDbFile(dir.resolve("sink.duckdb"), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        file.close();
    }

    private SourceRecord raw(ChangeEvents table, Map<String, ?> keyRow, byte[] value) {
        return new SourceRecord("shop.raw.order_items", 0, offset++, table.key(keyRow), value);
    }

    private static Map<String, Object> item(long id, int quantity, String price, String note) {
        return row("id", id, "order_id", 7, "quantity", quantity, "unit_price", new BigDecimal(price),
                "total_price", new BigDecimal(price).multiply(BigDecimal.valueOf(quantity)),
                "created_at", "2024-03-10T12:34:56.123456+02:00", "ship_date", 19_800,
                "packed_at", 1_710_000_000_123_456L, "token", "6f1c2b58-2a7f-4a0c-9d7e-3c1f2a9b8e01",
                "attrs", "{\"colour\": \"red\"}", "blob", Base64.getEncoder().encodeToString(new byte[]{1, 2, 3}),
                "gift", true, "note", note);
    }

    @Test
    void theAppenderWritesInsideTheTransactionOnlyOnceAStatementHasOpenedIt() throws Exception {
        try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("probe.duckdb"))) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (i BIGINT)");
            }
            c.setAutoCommit(false);
            c.commit();

            appendOne(c, 1);                                  // no statement yet since the commit
            c.rollback();
            assertThat(count(c, "t")).as("appended before any statement: committed on its own").isEqualTo(1);

            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM t WHERE i < 0");      // opens the transaction
            }
            appendOne(c, 2);
            c.rollback();
            assertThat(count(c, "t")).as("appended after a statement: rolled back with it").isEqualTo(1);
        }
    }

    private static void appendOne(DuckDBConnection c, long value) throws Exception {
        try (DuckDBAppender a = c.createAppender("t")) {
            a.beginRow().append(value).endRow();
        }
    }

    @Test
    void theRawTableEqualsTheFoldedEventsColumnByColumn() throws Exception {
        List<SourceRecord> batch = new ArrayList<>();
        var one = item(1, 2, "10.50", "first");
        var two = item(2, 1, "3.99", "second");
        var three = item(3, 5, "1.00", "third");
        batch.add(raw(items, one, items.read(one)));
        batch.add(raw(items, two, items.insert(two)));
        batch.add(raw(items, three, items.insert(three)));
        file.apply(batch);

        var twoUpdated = item(2, 4, "3.99", "second, changed");
        file.apply(List.of(
                raw(items, twoUpdated, items.update(two, twoUpdated)),
                raw(items, three, items.delete(three)),
                raw(items, three, null)));

        List<Map<String, Object>> rows = query(file.connection, "SELECT * FROM raw.order_items ORDER BY id");
        assertThat(rows).hasSize(2);
        Map<String, Object> r1 = rows.get(0);
        assertThat(r1).containsEntry("id", 1L).containsEntry("order_id", 7L).containsEntry("quantity", 2)
                .containsEntry("unit_price", new BigDecimal("10.50")).containsEntry("total_price", new BigDecimal("21.00"))
                .containsEntry("created_at", Instant.parse("2024-03-10T10:34:56.123456Z"))
                .containsEntry("ship_date", LocalDate.ofEpochDay(19_800))
                .containsEntry("packed_at", LocalDateTime.parse("2024-03-09T16:00:00.123456"))
                .containsEntry("token", UUID.fromString("6f1c2b58-2a7f-4a0c-9d7e-3c1f2a9b8e01"))
                .containsEntry("attrs", "{\"colour\": \"red\"}")
                .containsEntry("gift", true).containsEntry("note", "first")
                .containsEntry("_op", "r").containsEntry("_lsn", 1000L)
                .containsEntry("_source_ts", Instant.ofEpochMilli(ChangeEvents.sourceTsMs(1000)))
                .containsEntry("_ingested_at", NOW);
        assertThat((byte[]) r1.get("blob")).containsExactly(1, 2, 3);
        assertThat(rows.get(1)).containsEntry("id", 2L).containsEntry("quantity", 4)
                .containsEntry("total_price", new BigDecimal("15.96")).containsEntry("note", "second, changed")
                .containsEntry("_op", "u").containsEntry("_lsn", 1003L);
        assertThat(query(file.connection, "SELECT column_name, data_type FROM duckdb_columns() "
                + "WHERE schema_name = 'raw' AND table_name = 'order_items' ORDER BY column_index"))
                .extracting(m -> m.get("column_name") + " " + m.get("data_type"))
                .containsExactly("id BIGINT", "order_id BIGINT", "quantity INTEGER", "unit_price DECIMAL(10,2)",
                        "total_price DECIMAL(12,2)", "created_at TIMESTAMP WITH TIME ZONE", "ship_date DATE",
                        "packed_at TIMESTAMP", "token UUID", "attrs JSON", "blob BLOB", "gift BOOLEAN", "note VARCHAR",
                        "_op VARCHAR", "_lsn BIGINT", "_source_ts TIMESTAMP WITH TIME ZONE",
                        "_ingested_at TIMESTAMP WITH TIME ZONE");
        assertThat(scalar(file.connection, "SELECT next_offset FROM _cdc.offsets WHERE topic = 'shop.raw.order_items'"))
                .isEqualTo(offset);
    }

    @Test
    void aToastPlaceholderNeverOverwritesTheStoredValue() throws Exception {
        var one = item(1, 2, "10.50", "a long TOASTed description");
        file.apply(List.of(raw(items, one, items.insert(one))));

        var placeholder = item(1, 3, "10.50", RawChangeEvent.UNAVAILABLE_VALUE);
        file.apply(List.of(raw(items, placeholder, items.update(one, placeholder))));

        assertThat(query(file.connection, "SELECT quantity, note FROM raw.order_items"))
                .containsExactly(Map.of("quantity", 3, "note", "a long TOASTed description"));
    }

    /** The staging table holds one batch's rows: a later batch's TOAST rows never bring an earlier one's back. */
    @Test
    void toastRowsOfOneBatchAreNotWrittenAgainByTheNext() throws Exception {
        var one = item(1, 2, "10.50", "first text");
        var two = item(2, 1, "3.99", "second text");
        file.apply(List.of(raw(items, one, items.insert(one)), raw(items, two, items.insert(two))));

        var onePlaceholder = item(1, 3, "10.50", RawChangeEvent.UNAVAILABLE_VALUE);
        file.apply(List.of(raw(items, onePlaceholder, items.update(one, onePlaceholder))));
        var oneNow = item(1, 3, "10.50", "first text");
        file.apply(List.of(raw(items, oneNow, items.delete(oneNow))));
        var twoPlaceholder = item(2, 4, "3.99", RawChangeEvent.UNAVAILABLE_VALUE);
        file.apply(List.of(raw(items, twoPlaceholder, items.update(two, twoPlaceholder))));

        assertThat(query(file.connection, "SELECT id, quantity, note FROM raw.order_items ORDER BY id"))
                .containsExactly(Map.of("id", 2L, "quantity", 4, "note", "second text"));
    }

    @Test
    void aToastPlaceholderInTheSameBatchAsTheFullImageKeepsTheFullImagesValue() throws Exception {
        var one = item(1, 2, "10.50", "full text");
        var placeholder = item(1, 3, "10.50", RawChangeEvent.UNAVAILABLE_VALUE);

        file.apply(List.of(raw(items, one, items.insert(one)), raw(items, placeholder, items.update(one, placeholder))));

        assertThat(query(file.connection, "SELECT quantity, note FROM raw.order_items"))
                .containsExactly(Map.of("quantity", 3, "note", "full text"));
    }

    @Test
    void aTableWithADeclaredPrimaryKeyFromAnEarlierVersionTakesUpsertsDeletesAndToastInOneBatch() throws Exception {
        var one = item(1, 2, "10.50", "kept text");
        var two = item(2, 1, "3.99", "second");
        var three = item(3, 5, "1.00", "third");
        file.apply(List.of(raw(items, one, items.insert(one)), raw(items, two, items.insert(two)), raw(items, three, items.insert(three))));
        try (Statement st = file.connection.createStatement()) {
            // What an earlier version left: the key declared, nothing recorded.
            st.execute("ALTER TABLE raw.order_items ADD PRIMARY KEY (id)");
            st.execute("DELETE FROM _cdc.table_keys");
        }
        file.connection.commit();
        file.close();
        file = new DuckDbFile(dir.resolve("sink.duckdb"), Clock.fixed(NOW, ZoneOffset.UTC));

        var onePlaceholder = item(1, 3, "10.50", RawChangeEvent.UNAVAILABLE_VALUE);
        var twoUpdated = item(2, 6, "3.99", "second, changed");
        var four = item(4, 1, "2.00", "fourth");
        file.apply(List.of(raw(items, onePlaceholder, items.update(one, onePlaceholder)),
                raw(items, twoUpdated, items.update(two, twoUpdated)), raw(items, three, items.delete(three)),
                raw(items, four, items.insert(four))));

        assertThat(query(file.connection, "SELECT id, quantity, note FROM raw.order_items ORDER BY id")).containsExactly(
                Map.of("id", 1L, "quantity", 3, "note", "kept text"),
                Map.of("id", 2L, "quantity", 6, "note", "second, changed"),
                Map.of("id", 4L, "quantity", 1, "note", "fourth"));
        assertThat(count(file.connection, "duckdb_constraints() WHERE table_name = 'order_items' AND constraint_type = 'PRIMARY KEY'"))
                .isOne();
    }

    @Test
    void everyChangeOfABatchLandsOnceInATableWithoutADeclaredKey() throws Exception {
        var one = item(1, 2, "10.50", "kept text");
        var two = item(2, 1, "3.99", "second");
        file.apply(List.of(raw(items, one, items.insert(one)), raw(items, two, items.insert(two))));

        var onePlaceholder = item(1, 3, "10.50", RawChangeEvent.UNAVAILABLE_VALUE);
        var twoUpdated = item(2, 6, "3.99", "second, changed");
        var twoAgain = item(2, 7, "3.99", "second, changed twice");
        var four = item(4, 1, "2.00", "fourth");
        file.apply(List.of(raw(items, onePlaceholder, items.update(one, onePlaceholder)),
                raw(items, twoUpdated, items.update(two, twoUpdated)), raw(items, four, items.insert(four)),
                raw(items, twoAgain, items.update(twoUpdated, twoAgain)), raw(items, four, items.delete(four))));

        assertThat(query(file.connection, "SELECT id, quantity, note FROM raw.order_items ORDER BY id")).containsExactly(
                Map.of("id", 1L, "quantity", 3, "note", "kept text"),
                Map.of("id", 2L, "quantity", 7, "note", "second, changed twice"));
        assertThat(scalar(file.connection, "SELECT key_columns FROM _cdc.table_keys WHERE table_name = 'order_items'"))
                .isEqualTo(List.of("id"));
    }

    /**
     * A one-column BIGINT or INTEGER key reaches the DELETE as one array (KeyStage), any other key
     * as a row per key: upserts and deletes across batches hit exactly their own rows either way.
     */
    @Test
    void keysOfEveryShapeReplaceAndDeleteExactlyTheirOwnRows() throws Exception {
        ChangeEvents regions = ChangeEvents.table("regions").key("id").int32("id").string("name");
        ChangeEvents stock = ChangeEvents.table("stock").key("warehouse", "sku").int32("warehouse").string("sku").int64("units");
        List<SourceRecord> first = new ArrayList<>();
        List<SourceRecord> second = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            var region = row("id", i, "name", "region " + i);
            first.add(new SourceRecord("shop.raw.regions", 0, offset++, regions.key(region), regions.insert(region)));
            for (String sku : List.of("A", "B")) {
                var s = row("warehouse", i, "sku", sku, "units", 10L * i);
                first.add(new SourceRecord("shop.raw.stock", 0, offset++, stock.key(s), stock.insert(s)));
            }
        }
        file.apply(first);
        var renamed = row("id", 2, "name", "region two");
        second.add(new SourceRecord("shop.raw.regions", 0, offset++, regions.key(renamed),
                regions.update(row("id", 2, "name", "region 2"), renamed)));
        var gone = row("id", 4, "name", "region 4");
        second.add(new SourceRecord("shop.raw.regions", 0, offset++, regions.key(gone), regions.delete(gone)));
        var counted = row("warehouse", 3, "sku", "B", "units", 99L);
        second.add(new SourceRecord("shop.raw.stock", 0, offset++, stock.key(counted),
                stock.update(row("warehouse", 3, "sku", "B", "units", 30L), counted)));
        var sold = row("warehouse", 3, "sku", "A", "units", 30L);
        second.add(new SourceRecord("shop.raw.stock", 0, offset++, stock.key(sold), stock.delete(sold)));
        file.apply(second);

        assertThat(query(file.connection, "SELECT id, name FROM raw.regions ORDER BY id")).containsExactly(
                Map.of("id", 1, "name", "region 1"), Map.of("id", 2, "name", "region two"),
                Map.of("id", 3, "name", "region 3"), Map.of("id", 5, "name", "region 5"));
        assertThat(query(file.connection, "SELECT warehouse, sku, units FROM raw.stock WHERE warehouse = 3 ORDER BY sku"))
                .containsExactly(Map.of("warehouse", 3, "sku", "B", "units", 99L));
        assertThat(count(file.connection, "raw.stock")).isEqualTo(9);
        assertThat(scalar(file.connection, "SELECT sum(units)::BIGINT FROM raw.stock")).isEqualTo(300L - 30 - 30 + 99);
    }

    /**
     * Up to {@link KeyStage#PARAMETER_KEYS_MAX} keys reach the DELETE as a parameter, more through
     * the temporary key table. Neither path may delete a key of another batch: not of a batch
     * rolled back after it filled the table, nor of one that took the parameter in between.
     */
    @Test
    void manyKeysOrFewEachBatchDeletesOnlyItsOwnEvenAfterARolledBackOne() throws Exception {
        int many = KeyStage.PARAMETER_KEYS_MAX + 200;
        List<SourceRecord> load = new ArrayList<>();
        for (long id = 1; id <= many; id++) {
            var r = item(id, 1, "1.00", "loaded");
            load.add(raw(items, r, items.insert(r)));
        }
        file.apply(load); // the table path, nothing to delete yet

        List<SourceRecord> lost = new ArrayList<>();
        for (long id = 1; id <= many; id++) {
            var r = item(id, 1, "1.00", "loaded");
            lost.add(raw(items, r, items.delete(r)));
        }
        assertThatThrownBy(() -> file.apply(lost, b -> {
            throw new IllegalStateException("simulated crash before commit");
        })).hasMessageContaining("simulated crash"); // filled the key table with every key, then rolled back

        var first = item(1, 1, "1.00", "loaded");
        var firstChanged = item(1, 2, "1.00", "changed by a small batch");
        file.apply(List.of(raw(items, firstChanged, items.update(first, firstChanged)))); // the parameter path

        List<SourceRecord> upserts = new ArrayList<>();
        for (long id = many + 1; id <= 2L * many; id++) {
            var r = item(id, 3, "1.00", "second load");
            upserts.add(raw(items, r, items.insert(r)));
        }
        var last = item(many, 1, "1.00", "loaded");
        upserts.add(raw(items, last, items.delete(last)));
        file.apply(upserts); // the table path again: only this batch's keys

        assertThat(count(file.connection, "raw.order_items")).isEqualTo(2L * many - 1);
        assertThat(query(file.connection, "SELECT note, count(*) AS n FROM raw.order_items GROUP BY note ORDER BY note"))
                .containsExactly(Map.of("note", "changed by a small batch", "n", 1L),
                        Map.of("note", "loaded", "n", (long) many - 2),
                        Map.of("note", "second load", "n", (long) many));
    }

    @Test
    void aKeyDeletedWhileAReadersSnapshotIsOpenComesBackWithoutWaitingForTheReader() throws Exception {
        var one = item(1, 2, "10.50", "first");
        file.apply(List.of(raw(items, one, items.insert(one))));
        try (Connection reader = file.connection.duplicate()) {
            reader.setAutoCommit(false);
            assertThat(count(reader, "raw.order_items")).isOne();
            file.apply(List.of(raw(items, one, items.delete(one))));

            // With a declared key DuckDB 1.4 refuses this while the reader's snapshot is open (see
            // SinkServiceIT); without one the batch commits at once.
            var again = item(1, 5, "10.50", "again");
            file.apply(List.of(raw(items, again, items.insert(again))));

            assertThat(count(reader, "raw.order_items")).isOne();
            reader.commit();
        }
        assertThat(query(file.connection, "SELECT id, quantity, note FROM raw.order_items"))
                .containsExactly(Map.of("id", 1L, "quantity", 5, "note", "again"));
    }

    @Test
    void aRowTheAppenderRefusesFailsTheWholeBatchInsteadOfVanishing() throws Exception {
        var one = item(1, 2, "10.50", "first");
        file.apply(List.of(raw(items, one, items.insert(one))));
        try (Statement st = file.connection.createStatement()) {
            st.execute("ALTER TABLE raw.order_items ADD PRIMARY KEY (id)");
        }
        file.connection.commit();
        long before = (long) scalar(file.connection, "SELECT next_offset FROM _cdc.offsets");
        try (Connection reader = file.connection.duplicate()) {
            reader.setAutoCommit(false);
            assertThat(count(reader, "raw.order_items")).isOne();
            file.apply(List.of(raw(items, one, items.delete(one))));

            // DuckDB 1.4 refuses the key while the reader's older snapshot is open (duckdb#20119); the
            // Appender reports it only on an explicit flush: closing it drops the error and the rows.
            var again = item(1, 5, "10.50", "again");
            var two = item(2, 1, "3.99", "second");
            assertThatThrownBy(() -> file.apply(List.of(raw(items, again, items.insert(again)), raw(items, two, items.insert(two)))))
                    .hasMessageContaining("Duplicate key");
            reader.commit();
        }
        assertThat(count(file.connection, "raw.order_items")).isZero();
        assertThat(scalar(file.connection, "SELECT next_offset FROM _cdc.offsets")).isEqualTo(before + 1);
    }

    @Test
    void aColumnAddedAtTheSourceIsAddedToTheTable() throws Exception {
        var one = item(1, 2, "10.50", "before");
        file.apply(List.of(raw(items, one, items.insert(one))));

        ChangeEvents widened = items.withColumn("discount", "int32", null);
        Map<String, Object> two = item(2, 1, "1.00", "after");
        two.put("discount", 15);
        file.apply(List.of(raw(widened, two, widened.insert(two))));

        assertThat(query(file.connection, "SELECT id, discount FROM raw.order_items ORDER BY id"))
                .extracting(m -> m.get("id") + ":" + m.get("discount")).containsExactly("1:null", "2:15");
    }

    @Test
    void aRolledBackBatchLeavesNothingBehind() throws Exception {
        var one = item(1, 2, "10.50", "kept");
        file.apply(List.of(raw(items, one, items.insert(one))));
        long offsetsBefore = (Long) scalar(file.connection, "SELECT next_offset FROM _cdc.offsets");

        var two = item(2, 1, "1.00", "lost");
        var oneChanged = item(1, 9, "10.50", "changed");
        List<SourceRecord> batch = List.of(raw(items, two, items.insert(two)),
                raw(items, oneChanged, items.update(one, oneChanged)),
                new SourceRecord("shop.raw.order_items", 0, offset++, null, "garbage".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> file.apply(batch, b -> {
            throw new IllegalStateException("simulated crash before commit");
        })).hasMessageContaining("simulated crash");

        assertThat(query(file.connection, "SELECT id, note FROM raw.order_items"))
                .containsExactly(Map.of("id", 1L, "note", "kept"));
        assertThat(scalar(file.connection, "SELECT next_offset FROM _cdc.offsets")).isEqualTo(offsetsBefore);
        assertThat(count(file.connection, "quality.dead_letters")).isZero();

        file.apply(batch); // the same batch again, as after a restart
        assertThat(query(file.connection, "SELECT id, note FROM raw.order_items ORDER BY id"))
                .extracting(m -> m.get("note")).containsExactly("changed", "lost");
    }

    @Test
    void deadLettersAreIdempotentOnTheirSourceMessage() throws Exception {
        DeadLetter dl = new DeadLetter("customers", Json("{\"id\":5}"), Json("{\"id\":5,\"email\":\"nope\"}"),
                List.of(new DeadLetter.Failure("pattern", "email", Json("\"nope\""), "email does not match"),
                        new DeadLetter.Failure("not_null", "country", null, "country is null")),
                new DeadLetter.Source("shop.raw.customers", 2, 40, 12345, Instant.parse("2024-01-01T00:00:00Z")),
                Instant.parse("2024-01-01T00:00:01Z"), null);
        SourceRecord r = new SourceRecord("shop.dlq.customers", 0, 3, "{\"id\":5}".getBytes(StandardCharsets.UTF_8), dl.toBytes());

        file.apply(List.of(r));
        file.apply(List.of(r));
        file.apply(List.of(new SourceRecord("shop.dlq.customers", 0, 4, null, dl.toBytes())));

        List<Map<String, Object>> rows = query(file.connection, "SELECT * FROM quality.dead_letters");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("source_topic", "shop.raw.customers").containsEntry("source_partition", 2)
                .containsEntry("source_offset", 40L).containsEntry("table", "customers").containsEntry("key", "{\"id\":5}")
                .containsEntry("checks", List.of("pattern", "not_null")).containsEntry("source_lsn", 12345L)
                .containsEntry("source_ts", Instant.parse("2024-01-01T00:00:00Z"))
                .containsEntry("reported_by", "processor").containsEntry("dlq_offset", 4L);
    }

    @Test
    void theProcessorsDeadLetterWinsOverTheSinksAcrossBatchesInEitherOrder() throws Exception {
        byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
        SourceRecord bad = new SourceRecord("shop.raw.customers", 0, 9, null, garbage);
        DeadLetter dl = new DeadLetter("customers", null, null,
                List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, "not JSON")),
                new DeadLetter.Source("shop.raw.customers", 0, 9, -1, null), NOW, Base64.getEncoder().encodeToString(garbage));
        SourceRecord fromProcessor = new SourceRecord("shop.dlq.customers", 0, 1, null, dl.toBytes());

        file.apply(List.of(bad));
        assertThat(scalar(file.connection, "SELECT reported_by FROM quality.dead_letters")).isEqualTo("sink");
        file.apply(List.of(fromProcessor));
        file.apply(List.of(bad));

        assertThat(query(file.connection, "SELECT reported_by, raw_base64, checks FROM quality.dead_letters"))
                .containsExactly(Map.of("reported_by", "processor", "raw_base64", Base64.getEncoder().encodeToString(garbage),
                        "checks", List.of("malformed")));
    }

    @Test
    void stagingAndMartRowsAreUpsertedAndTombstonesDelete() throws Exception {
        ChangeEvents daily = ChangeEvents.table("sales_daily").key("day").date("day").int64("orders")
                .decimal("revenue", 18, 2);
        var d1 = row("day", 19_800, "orders", 3, "revenue", new BigDecimal("30.00"));
        var d2 = row("day", 19_801, "orders", 1, "revenue", new BigDecimal("5.5"));
        var d1b = row("day", 19_800, "orders", 4, "revenue", new BigDecimal("41.25"));
        file.apply(List.of(
                new SourceRecord("shop.mart.sales_daily", 0, 0, daily.key(d1), daily.typedRow(d1)),
                new SourceRecord("shop.mart.sales_daily", 0, 1, daily.key(d2), daily.typedRow(d2))));
        file.apply(List.of(
                new SourceRecord("shop.mart.sales_daily", 0, 2, daily.key(d1b), daily.typedRow(d1b)),
                new SourceRecord("shop.mart.sales_daily", 0, 3, daily.key(d2), null)));

        assertThat(query(file.connection, "SELECT * FROM mart.sales_daily"))
                .containsExactly(Map.of("day", LocalDate.ofEpochDay(19_800), "orders", 4L, "revenue", new BigDecimal("41.25")));
        // The key is recorded, not declared: no index to keep up (see Layout.TABLE_KEYS).
        assertThat(scalar(file.connection, "SELECT key_columns FROM _cdc.table_keys "
                + "WHERE schema_name = 'mart' AND table_name = 'sales_daily'")).isEqualTo(List.of("day"));
        assertThat(count(file.connection, "duckdb_constraints() WHERE table_name = 'sales_daily' "
                + "AND constraint_type = 'PRIMARY KEY'")).isZero();
    }

    private static com.fasterxml.jackson.databind.JsonNode Json(String text) {
        try {
            return io.cdcmarts.common.Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
