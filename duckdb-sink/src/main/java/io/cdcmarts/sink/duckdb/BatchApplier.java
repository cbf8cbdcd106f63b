package io.cdcmarts.sink.duckdb;

import io.cdcmarts.sink.batch.Batch;
import io.cdcmarts.sink.batch.RowChange;
import io.cdcmarts.sink.batch.TableBatch;
import io.cdcmarts.sink.dlq.DeadLetterRow;
import org.apache.kafka.common.TopicPartition;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one {@link Batch} in one DuckDB transaction: per table, the Appender fills a temporary
 * staging table, then one set-based UPDATE resolves TOAST placeholders against the stored rows,
 * one DELETE … USING removes every staged key (the deleted ones and the old versions of the
 * upserted ones) and one INSERT … SELECT writes the new versions; then the dead letters and the
 * consumed offsets; then COMMIT. Nothing is written row by row through SQL, and no value is ever
 * formatted into SQL text.
 *
 * <p>Why DELETE + INSERT and not {@code INSERT OR REPLACE}: on DuckDB 1.4 the conflict path of an
 * upsert updates every column of every existing row and measured 2–3 times slower than deleting
 * the keys and inserting the rows again (see {@code SinkApplyBenchmark}); DuckDB 1.2+ accepts a
 * key deleted and re-inserted in one transaction. Keys are unique within a batch (folded by
 * {@link TableBatch}), so neither statement ever sees a key twice.
 *
 * <p>DuckDB JDBC with autocommit off opens a transaction at the first statement after a commit;
 * an Appender used before any statement runs commits on its own (see
 * {@code AppenderTransactionIT}). So every batch begins with statements (clearing the staging
 * tables) before the first append, and then a rollback drops the appended rows too.
 */
public final class BatchApplier {

    /** Called after everything is written and before COMMIT; throwing rolls the batch back. */
    @FunctionalInterface
    public interface BeforeCommit {
        BeforeCommit NONE = batch -> {
        };

        void beforeCommit(Batch batch) throws Exception;
    }

    /**
     * What a committed batch changed.
     *
     * @param rowsBySchema de-duplicated rows upserted or deleted, by DuckDB schema (raw, stg, mart, quality)
     * @param deadLetters  dead letters written (also counted under quality)
     */
    public record Applied(Map<String, Long> rowsBySchema, int deadLetters) {
        public long total() {
            return rowsBySchema.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** How the staged rows replace the stored ones. */
    public enum Upsert {
        /** DELETE … USING the staged keys, then INSERT … SELECT: the sink's way. */
        DELETE_INSERT,
        /** One INSERT OR REPLACE … SELECT: kept to measure against ({@code SinkApplyBenchmark}). */
        INSERT_OR_REPLACE
    }

    static final String DELETE_FLAG = "_cdc_delete";
    static final String UNAVAILABLE = "_cdc_unavailable";

    private final DuckDBConnection connection;
    private final Tables tables;
    private final Upsert upsert;
    private final Map<TableRef, Staged> staged = new HashMap<>();
    private StageTable deadLetterStage;
    private StageTable offsetStage;

    /** A target table's staging table for the target's current shape, and its statements. */
    private record Staged(TableSchema shape, StageTable stage, String insert, String deleteStagedKeys) {
    }

    /** @param connection the sink's connection, autocommit off */
    public BatchApplier(DuckDBConnection connection, Tables tables) {
        this(connection, tables, Upsert.DELETE_INSERT);
    }

    public BatchApplier(DuckDBConnection connection, Tables tables, Upsert upsert) {
        this.connection = connection;
        this.tables = tables;
        this.upsert = upsert;
    }

    /**
     * Applies the batch and commits, or rolls back and throws.
     *
     * @throws SQLException when DuckDB refuses (the batch is rolled back; nothing of it remains)
     */
    public Applied apply(Batch batch, BeforeCommit hook) throws Exception {
        List<TableBatch> work = new ArrayList<>();
        for (TableBatch t : batch.tables()) {
            if (t.size() > 0 || t.truncated()) {
                work.add(t);
            }
        }
        List<Staged> stages = prepareStages(work);
        try {
            beginWithClearedStages(stages, !batch.deadLetters().isEmpty());
            Map<String, Long> rows = new TreeMap<>();
            for (int i = 0; i < work.size(); i++) {
                TableBatch t = work.get(i);
                write(t, stages.get(i));
                rows.merge(t.table().schema(), (long) t.size(), Long::sum);
            }
            int deadLetters = writeDeadLetters(batch);
            if (deadLetters > 0) {
                rows.merge(TableRef.QUALITY, (long) deadLetters, Long::sum);
            }
            writeOffsets(batch.nextOffsets(), batch.ingestedAt());
            hook.beforeCommit(batch);
            connection.commit();
            return new Applied(rows, deadLetters);
        } catch (Exception e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** Forgets the staging tables after a failure; they are created again for the next batch. */
    public void reset() {
        staged.clear();
        deadLetterStage = null;
        offsetStage = null;
    }

    private List<Staged> prepareStages(List<TableBatch> work) throws SQLException {
        List<Staged> out = new ArrayList<>(work.size());
        boolean ddl = false;
        for (TableBatch t : work) {
            TableSchema shape = tables.find(t.table())
                    .orElseThrow(() -> new IllegalStateException("table " + t.table() + " vanished"));
            Staged s = staged.get(t.table());
            if (s == null || !s.shape().equals(shape)) {
                s = stage(shape);
                staged.put(t.table(), s);
                ddl = true;
            }
            out.add(s);
        }
        if (deadLetterStage == null) {
            deadLetterStage = StageTable.create(connection, "stage__dead_letters", Layout.DEAD_LETTERS_SCHEMA.columns());
            offsetStage = StageTable.create(connection, "stage__offsets", Layout.OFFSETS_SCHEMA.columns());
            ddl = true;
        }
        if (ddl) {
            connection.commit();
        }
        return out;
    }

    private Staged stage(TableSchema shape) throws SQLException {
        List<TableSchema.Column> columns = new ArrayList<>(shape.columns());
        columns.add(new TableSchema.Column(DELETE_FLAG, DuckType.BOOLEAN));
        columns.add(new TableSchema.Column(UNAVAILABLE, DuckType.INTEGER_LIST));
        TableRef t = shape.table();
        StageTable stage = StageTable.create(connection, "stage__" + t.schema() + "__" + t.name(), columns);
        List<String> names = shape.columns().stream().map(TableSchema.Column::name).toList();
        String insert = "INSERT INTO " + t.sql() + " (" + Sql.idents(names) + ") SELECT "
                + Sql.idents(names) + " FROM " + stage.sql() + " WHERE NOT " + Sql.ident(DELETE_FLAG);
        String delete = "DELETE FROM " + t.sql() + " AS t USING " + stage.sql() + " AS s WHERE "
                + Sql.joinOn("t", "s", shape.primaryKey());
        return new Staged(shape, stage, insert, delete);
    }

    private void beginWithClearedStages(List<Staged> stages, boolean deadLetters) throws SQLException {
        // The first statements of the transaction: they open it before any Appender runs.
        offsetStage.clear(connection);
        if (deadLetters) {
            deadLetterStage.clear(connection);
        }
        for (Staged s : stages) {
            s.stage().clear(connection);
        }
    }

    private void write(TableBatch t, Staged s) throws SQLException {
        TableSchema shape = s.shape();
        int n = shape.size();
        DuckType[] types = new DuckType[n];
        for (int i = 0; i < n; i++) {
            types[i] = shape.column(i).type();
        }
        int upserts = 0;
        try (DuckDBAppender ap = s.stage().appender(connection)) {
            for (RowChange c : t.changes()) {
                ap.beginRow();
                for (int i = 0; i < n; i++) {
                    Appends.append(ap, types[i], c.value(i));
                }
                ap.append(c.delete());
                if (c.hasUnavailable()) {
                    ap.append(c.unavailable().stream().boxed().toList());
                } else {
                    ap.appendNull();
                }
                ap.endRow();
                if (!c.delete()) {
                    upserts++;
                }
            }
        }
        try (Statement st = connection.createStatement()) {
            BitSet unavailable = t.unavailableColumns();
            if (!unavailable.isEmpty()) {
                st.execute(keepStoredValues(shape, s.stage(), unavailable));
            }
            if (t.truncated()) {
                st.execute("DELETE FROM " + shape.table().sql());
            }
            if (upsert == Upsert.INSERT_OR_REPLACE) {
                if (t.size() > upserts) {
                    st.execute(s.deleteStagedKeys() + " AND s." + Sql.ident(DELETE_FLAG));
                }
                if (upserts > 0) {
                    st.execute(s.insert().replaceFirst("^INSERT INTO", "INSERT OR REPLACE INTO"));
                }
                return;
            }
            if (!t.truncated() && t.size() > 0) {
                st.execute(s.deleteStagedKeys());
            }
            if (upserts > 0) {
                st.execute(s.insert());
            }
        }
    }

    /**
     * For the columns Debezium left out of an update (unchanged TOASTed values), the staged row
     * takes the stored value: one UPDATE … FROM for the whole batch.
     */
    private static String keepStoredValues(TableSchema shape, StageTable stage, BitSet unavailable) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(stage.sql()).append(" AS s SET ");
        boolean first = true;
        for (int i = unavailable.nextSetBit(0); i >= 0; i = unavailable.nextSetBit(i + 1)) {
            String c = Sql.ident(shape.column(i).name());
            sql.append(first ? "" : ", ").append(c).append(" = CASE WHEN list_contains(s.").append(Sql.ident(UNAVAILABLE))
                    .append(", ").append(i).append(") THEN t.").append(c).append(" ELSE s.").append(c).append(" END");
            first = false;
        }
        sql.append(" FROM ").append(shape.table().sql()).append(" AS t WHERE s.").append(Sql.ident(UNAVAILABLE))
                .append(" IS NOT NULL AND ").append(Sql.joinOn("t", "s", shape.primaryKey()));
        return sql.toString();
    }

    private int writeDeadLetters(Batch batch) throws SQLException {
        if (batch.deadLetters().isEmpty()) {
            return 0;
        }
        List<TableSchema.Column> columns = Layout.DEAD_LETTERS_SCHEMA.columns();
        try (DuckDBAppender ap = deadLetterStage.appender(connection)) {
            for (DeadLetterRow d : batch.deadLetters()) {
                Object[] values = {d.sourceTopic(), d.sourcePartition(), d.sourceOffset(), d.table(), d.keyJson(),
                        d.rowJson(), d.failuresJson(), d.checks(), d.sourceLsn(), d.sourceTs(), d.detectedAt(),
                        d.rawBase64(), d.reportedBy().label(), d.dlqTopic(), d.dlqPartition(), d.dlqOffset()};
                ap.beginRow();
                for (int i = 0; i < values.length; i++) {
                    Appends.append(ap, columns.get(i).type(), values[i]);
                }
                ap.endRow();
            }
        }
        List<String> names = columns.stream().map(TableSchema.Column::name).toList();
        List<String> key = Layout.DEAD_LETTERS_SCHEMA.primaryKey();
        StringBuilder set = new StringBuilder();
        for (String c : names) {
            if (!key.contains(c)) {
                set.append(set.length() == 0 ? "" : ", ").append(Sql.ident(c)).append(" = excluded.").append(Sql.ident(c));
            }
        }
        // The processor's report of a message wins over the sink's own, whichever is read first.
        String upsert = "INSERT INTO " + Layout.DEAD_LETTERS.sql() + " (" + Sql.idents(names) + ") SELECT "
                + Sql.idents(names) + " FROM " + deadLetterStage.sql() + " ON CONFLICT (" + Sql.idents(key)
                + ") DO UPDATE SET " + set + " WHERE NOT (excluded.reported_by = '" + DeadLetterRow.Origin.SINK.label()
                + "' AND " + Sql.ident(Layout.DEAD_LETTERS.name()) + ".reported_by = '" + DeadLetterRow.Origin.PROCESSOR.label() + "')";
        try (Statement st = connection.createStatement()) {
            st.execute(upsert);
        }
        return batch.deadLetters().size();
    }

    private void writeOffsets(Map<TopicPartition, Long> next, Instant at) throws SQLException {
        if (next.isEmpty()) {
            return;
        }
        List<TableSchema.Column> columns = Layout.OFFSETS_SCHEMA.columns();
        try (DuckDBAppender ap = offsetStage.appender(connection)) {
            for (Map.Entry<TopicPartition, Long> e : new LinkedHashMap<>(next).entrySet()) {
                ap.beginRow();
                Appends.append(ap, columns.get(0).type(), e.getKey().topic());
                Appends.append(ap, columns.get(1).type(), e.getKey().partition());
                Appends.append(ap, columns.get(2).type(), e.getValue());
                Appends.append(ap, columns.get(3).type(), at);
                ap.endRow();
            }
        }
        try (Statement st = connection.createStatement()) {
            st.execute("INSERT OR REPLACE INTO " + Layout.OFFSETS.sql() + " SELECT * FROM " + offsetStage.sql());
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
