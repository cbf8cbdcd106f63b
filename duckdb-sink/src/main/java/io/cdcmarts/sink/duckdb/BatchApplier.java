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
 * Writes one {@link Batch} in one DuckDB transaction. Per table: one DELETE … USING removes the
 * batch's keys (the deleted rows and the old versions of the upserted ones; {@link KeyStage} says
 * how the keys reach it), and the Appender writes the new versions straight into the target
 * table. Only rows with TOAST placeholders go through a temporary staging table: one set-based
 * UPDATE gives them the stored values (before the DELETE), one INSERT … SELECT writes them. Then
 * the dead letters and the consumed offsets; then COMMIT. Nothing is written row by row through
 * SQL, and no value is ever formatted into SQL text.
 *
 * <p>Why the rows skip the staging table: appending them into a staging table and then copying
 * them with INSERT … SELECT costs the append twice and measured at about a quarter of the bare
 * Appender rate; the key table is one narrow column set, and appending into the target is what
 * the bare Appender does ({@code SinkApplyBenchmark} measures both ways, {@link Upsert}).
 * DuckDB 1.2+ accepts a key deleted and re-inserted in one transaction, by statement or by
 * Appender, with the primary key checked. Keys are unique within a batch (folded by
 * {@link TableBatch}), so no statement and no Appender ever sees a key twice.
 *
 * <p>Why DELETE + insert and not {@code INSERT OR REPLACE}: on DuckDB 1.4 the conflict path of an
 * upsert updates every column of every existing row and measured 2–3 times slower than deleting
 * the keys and inserting the rows again.
 *
 * <p>DuckDB JDBC with autocommit off opens a transaction at the first statement after a commit;
 * an Appender used before any statement runs commits on its own (see
 * {@code AppenderTransactionIT}). So every batch begins with a statement (clearing the offsets'
 * staging table) before the first append, and then a rollback drops the appended rows too. Every
 * other staging table is emptied right before it is filled, and only when it is: a table the
 * batch does not need costs nothing.
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

    /** How the new versions of the rows reach the target, after the DELETE of their keys. */
    public enum Upsert {
        /** The Appender writes them into the target; only TOAST rows are staged: the sink's way. */
        APPEND,
        /** Every row is staged, then one INSERT … SELECT: the former way, kept to measure against ({@code SinkApplyBenchmark}). */
        STAGED
    }

    static final String UNAVAILABLE = "_cdc_unavailable";

    private final DuckDBConnection connection;
    private final Tables tables;
    private final Upsert upsert;
    private final Map<TableRef, Staged> staged = new HashMap<>();
    private StageTable deadLetterStage;
    private StageTable offsetStage;

    /**
     * A target table's staging tables for the target's current shape (its keys; the rows that need
     * SQL), and their statements.
     */
    private record Staged(TableSchema shape, KeyStage keys, StageTable rows, String insert, boolean appendable) {
    }

    /** @param connection the sink's connection, autocommit off */
    public BatchApplier(DuckDBConnection connection, Tables tables) {
        this(connection, tables, Upsert.APPEND);
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
            begin(!batch.deadLetters().isEmpty());
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
        staged.values().forEach(s -> s.keys().close());
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
                if (s != null) {
                    s.keys().close();
                }
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
        TableRef t = shape.table();
        String prefix = "stage__" + t.schema() + "__" + t.name();
        KeyStage keys = KeyStage.create(connection, prefix + "__keys", shape);
        List<TableSchema.Column> columns = new ArrayList<>(shape.size() + 1);
        StringBuilder select = new StringBuilder();
        boolean appendable = true;
        for (TableSchema.Column c : shape.columns()) {
            columns.add(new TableSchema.Column(c.name(), c.type().staged()));
            select.append(select.length() == 0 ? "" : ", ");
            if (c.type().appendable()) {
                select.append(Sql.ident(c.name()));
            } else {
                // Staged as text: cast into the target's type on the way in.
                select.append("CAST(").append(Sql.ident(c.name())).append(" AS ").append(c.type().sql()).append(')');
                appendable = false;
            }
        }
        columns.add(new TableSchema.Column(UNAVAILABLE, DuckType.INTEGER_LIST));
        StageTable rows = StageTable.create(connection, prefix, columns);
        List<String> names = shape.columns().stream().map(TableSchema.Column::name).toList();
        String insert = "INSERT INTO " + t.sql() + " (" + Sql.idents(names) + ") SELECT " + select + " FROM " + rows.sql();
        return new Staged(shape, keys, rows, insert, appendable);
    }

    private void begin(boolean deadLetters) throws SQLException {
        // The first statement of the transaction: it opens it before any Appender runs.
        offsetStage.clear(connection);
        if (deadLetters) {
            deadLetterStage.clear(connection);
        }
    }

    private void write(TableBatch t, Staged s) throws SQLException {
        TableSchema shape = s.shape();
        DuckType[] types = shape.columns().stream().map(c -> c.type().staged()).toArray(DuckType[]::new);
        int staged = 0;
        int direct = 0;
        for (RowChange c : t.changes()) {
            if (!c.delete()) {
                if (needsSql(s, c)) {
                    staged++;
                } else {
                    direct++;
                }
            }
        }
        if (staged > 0) {
            // The rows that need SQL before they can be written.
            s.rows().clear(connection);
            try (DuckDBAppender rows = s.rows().appender(connection)) {
                for (RowChange c : t.changes()) {
                    if (!c.delete() && needsSql(s, c)) {
                        appendRow(rows, types, c);
                        if (c.hasUnavailable()) {
                            rows.append(c.unavailable().stream().boxed().toList());
                        } else {
                            rows.appendNull();
                        }
                        rows.endRow();
                    }
                }
                Appends.flush(rows);
            }
            BitSet unavailable = t.unavailableColumns();
            if (!unavailable.isEmpty()) {
                // Before the DELETE: the stored values are still there to be read.
                execute(keepStoredValues(shape, s.rows(), unavailable));
            }
        }
        if (t.truncated()) {
            execute("DELETE FROM " + shape.table().sql());
        } else if (t.size() > 0) {
            s.keys().delete(connection, t.changes());
        }
        if (staged > 0) {
            execute(s.insert());
        }
        if (direct > 0) {
            TableRef target = shape.table();
            try (DuckDBAppender rows = connection.createAppender(target.schema(), target.name())) {
                for (RowChange c : t.changes()) {
                    if (!c.delete() && !needsSql(s, c)) {
                        appendRow(rows, types, c);
                        rows.endRow();
                    }
                }
                Appends.flush(rows);
            }
        }
    }

    /** Whether an upserted row goes through the staging table (a TOAST placeholder, a type the Appender lacks). */
    private boolean needsSql(Staged s, RowChange c) {
        return upsert == Upsert.STAGED || !s.appendable() || c.hasUnavailable();
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** Begins a row and appends the change's value of every column of the table (NULL past a short row). */
    private static void appendRow(DuckDBAppender appender, DuckType[] types, RowChange c) throws SQLException {
        appender.beginRow();
        for (int i = 0; i < types.length; i++) {
            Appends.append(appender, types[i], c.value(i));
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
            TableSchema.Column column = shape.column(i);
            String c = Sql.ident(column.name());
            String stored = column.type().appendable() ? "t." + c : "CAST(t." + c + " AS " + column.type().staged().sql() + ")";
            sql.append(first ? "" : ", ").append(c).append(" = CASE WHEN list_contains(s.").append(Sql.ident(UNAVAILABLE))
                    .append(", ").append(i).append(") THEN ").append(stored).append(" ELSE s.").append(c).append(" END");
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
                        d.rawBase64(), d.reportedBy().label(), d.dlqTopic(), d.dlqPartition(), d.dlqOffset(),
                        d.rawLength(), d.rawSha256()};
                ap.beginRow();
                for (int i = 0; i < values.length; i++) {
                    Appends.append(ap, columns.get(i).type(), values[i]);
                }
                ap.endRow();
            }
            Appends.flush(ap);
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
            Appends.flush(ap);
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
