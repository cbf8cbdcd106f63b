package io.cdcmarts.sink.bench;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.batch.Batch;
import io.cdcmarts.sink.batch.BatchBuilder;
import io.cdcmarts.sink.batch.BatchLimits;
import io.cdcmarts.sink.batch.RowKey;
import io.cdcmarts.sink.batch.SourceRecord;
import io.cdcmarts.sink.batch.TableBatch;
import io.cdcmarts.sink.duckdb.Appends;
import io.cdcmarts.sink.duckdb.BatchApplier;
import io.cdcmarts.sink.duckdb.DuckDbTables;
import io.cdcmarts.sink.duckdb.DuckType;
import io.cdcmarts.sink.duckdb.Layout;
import io.cdcmarts.sink.duckdb.Sql;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Rows per second of the sink's apply path, beside the two reference points of SPEC §9, all in one
 * run on fresh files of the same shape (raw.order_items with the raw metadata columns):
 * <ol>
 *   <li>the bare DuckDB Appender into a plain table (the ceiling);</li>
 *   <li>the sink's batch path: keys appended + set-based DELETE + rows appended + offsets + COMMIT per batch, for
 *       {@code rows} upserts over {@code rows/2} keys (every key inserted, then updated), in batches of
 *       {@link SinkConfig#DEFAULT_MAX_BATCH_RECORDS} (what the sink writes while it is behind: its default polls of
 *       {@link SinkConfig#DEFAULT_MAX_POLL_RECORDS} folded into one batch) and of one poll each (what it
 *       writes once caught up); then on a quarter of the rows at one poll, 5,000 per batch, and 500 per batch (a
 *       caught-up sink's small polls, whose keys reach the DELETE as a prepared statement's parameter);</li>
 *   <li>the same path from the message bytes (JSON decoding and folding of polls included), and its decoding
 *       alone (the batch builder on the same messages, nothing applied);</li>
 *   <li>the former path, every row through the staging table and {@code INSERT … SELECT};</li>
 *   <li>row-by-row JDBC: a batched {@code INSERT OR REPLACE} PreparedStatement, on fewer rows
 *       (at most {@link #ROW_BY_ROW_LIMIT}).</li>
 * </ol>
 * The Appender and the two sink batch paths on {@code rows} are measured {@code reps} times,
 * interleaved; each run's share of the Appender is taken against the Appender of the same run, and
 * the median share is the headline: from run to run the Appender alone moves by ±20 % on this
 * machine, quiet or not, and one run's share by more.
 * Usage: {@code SinkApplyBenchmark [rows (1000000)] [rowByRowRows (20000)] [decodedRows (200000)] [reps (5)] [dir]}.
 * It asserts nothing: it prints the figures.
 */
public final class SinkApplyBenchmark {

    private static final TableRef TABLE = new TableRef(TableRef.RAW, "order_items");
    private static final List<TableSchema.Column> COLUMNS = List.of(
            new TableSchema.Column("id", DuckType.BIGINT),
            new TableSchema.Column("order_id", DuckType.BIGINT),
            new TableSchema.Column("variant_id", DuckType.BIGINT),
            new TableSchema.Column("quantity", DuckType.INTEGER),
            new TableSchema.Column("unit_price", DuckType.decimal(10, 2)),
            new TableSchema.Column("total_price", DuckType.decimal(12, 2)),
            new TableSchema.Column("created_at", DuckType.TIMESTAMPTZ),
            new TableSchema.Column(Layout.OP, DuckType.VARCHAR),
            new TableSchema.Column(Layout.LSN, DuckType.BIGINT),
            new TableSchema.Column(Layout.SOURCE_TS, DuckType.TIMESTAMPTZ),
            new TableSchema.Column(Layout.INGESTED_AT, DuckType.TIMESTAMPTZ));
    private static final Instant T0 = Instant.parse("2024-03-10T12:00:00Z");
    /** Row-by-row upserts run this long at most: at ~1,000 rows/s, 20,000 rows would take the whole budget. */
    private static final java.time.Duration ROW_BY_ROW_LIMIT = java.time.Duration.ofSeconds(15);

    private final Path dir;

    private SinkApplyBenchmark(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rowByRow = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int decoded = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path dir = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("sink-bench");
        Files.createDirectories(dir);
        SinkApplyBenchmark bench = new SinkApplyBenchmark(dir);
        try {
            System.out.printf(Locale.ROOT, "DuckDB apply-path benchmark: %,d rows, %d cores, Java %s, files in %s%n",
                    rows, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), dir);
            int batch = SinkConfig.DEFAULT_MAX_BATCH_RECORDS;
            int poll = SinkConfig.DEFAULT_MAX_POLL_RECORDS;
            bench.batchPath("warm-up", 100_000, 10_000, BatchApplier.Upsert.APPEND);
            bench.fromBytes(60_000, poll, batch);
            String behindLabel = String.format(Locale.ROOT, "sink batch path, %,d/batch (default, behind)", batch);
            String onePollLabel = String.format(Locale.ROOT, "sink batch path, %,d/batch (one poll)", poll);
            List<Rate> appenders = new ArrayList<>();
            List<Rate> behinds = new ArrayList<>();
            List<Rate> onePolls = new ArrayList<>();
            for (int rep = 1; rep <= reps; rep++) {
                System.out.printf(Locale.ROOT, "run %d of %d%n", rep, reps);
                Rate appender = bench.appender(rows, "appender-" + rep);
                report("bare Appender into a plain table", rows, appender, appender);
                Rate behind = bench.batchPath("batch-default-" + rep, rows, batch, BatchApplier.Upsert.APPEND);
                report(behindLabel, rows, behind, appender);
                Rate onePoll = bench.batchPath("batch-poll-" + rep, rows, poll, BatchApplier.Upsert.APPEND);
                report(onePollLabel, rows, onePoll, appender);
                appenders.add(appender);
                behinds.add(behind);
                onePolls.add(onePoll);
            }
            Rate appender = Rate.median(appenders);
            System.out.printf(Locale.ROOT, "median of %d runs (rates: each figure's own median; shares: the median of the runs' shares)%n", reps);
            report("bare Appender into a plain table", rows, appender, appender);
            reportMedian(behindLabel, rows, behinds, appenders);
            reportMedian(onePollLabel, rows, onePolls, appenders);
            System.out.println("measured once, against the median Appender:");
            // The comparisons run on a quarter of the rows, against the same path on the same quarter,
            // to keep the whole run near two minutes on a shared machine.
            int quarter = rows / 4;
            Rate quarterRate = bench.batchPath("quarter-poll", quarter, poll, BatchApplier.Upsert.APPEND);
            report(String.format(Locale.ROOT, "sink batch path, %,d/batch, quarter", poll), quarter, quarterRate, appender);
            Rate small = bench.batchPath("batch-5k", quarter, 5_000, BatchApplier.Upsert.APPEND);
            report("sink batch path, 5,000/batch, quarter", quarter, small, appender);
            // A caught-up sink's polls are small: each key's DELETE goes in as a prepared statement's parameter
            Rate fewKeys = bench.batchPath("batch-500", quarter, 500, BatchApplier.Upsert.APPEND);
            report("sink batch path, 500/batch from an empty table, quarter", quarter, fewKeys, appender);
            Rate staged = bench.batchPath("staged-poll", quarter, poll, BatchApplier.Upsert.STAGED);
            report(String.format(Locale.ROOT, "every row staged (former way), %,d/batch, quarter", poll), quarter, staged, appender);
            Rate fromBytes = bench.fromBytes(decoded, poll, batch);
            report("sink batch path from JSON bytes, default batches", decoded, fromBytes, appender);
            Rate decodeOnly = bench.decodeOnly(decoded, poll);
            report("decoding alone (BatchBuilder, no apply)", decoded, decodeOnly, appender);
            int[] done = new int[1];
            Rate jdbc = bench.rowByRow(rowByRow, done);
            report("row-by-row PreparedStatement upsert (" + ROW_BY_ROW_LIMIT.toSeconds() + " s max)", done[0], jdbc, appender);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(String what, int rows, Rate rate, Rate appender) {
        System.out.printf(Locale.ROOT, "%-52s %,10d rows %,10.0f rows/s %6.1f %% of the Appender | %,10.0f rows/CPU-s %6.1f %%%n",
                what, rows, rate.wall(), 100 * rate.wall() / appender.wall(), rate.cpu(), 100 * rate.cpu() / appender.cpu());
    }

    /** The median rate, and the median of each run's share of the same run's Appender. */
    private static void reportMedian(String what, int rows, List<Rate> rates, List<Rate> appenders) {
        Rate median = Rate.median(rates);
        double[] wall = new double[rates.size()];
        double[] cpu = new double[rates.size()];
        for (int i = 0; i < rates.size(); i++) {
            wall[i] = rates.get(i).wall() / appenders.get(i).wall();
            cpu[i] = rates.get(i).cpu() / appenders.get(i).cpu();
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-52s %,10d rows %,10.0f rows/s %6.1f %% of the Appender | %,10.0f rows/CPU-s %6.1f %%%n",
                what, rows, median.wall(), 100 * Rate.median(wall), median.cpu(), 100 * Rate.median(cpu));
    }

    private DuckDBConnection open(String name) throws SQLException {
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(name + ".duckdb"));
        c.setAutoCommit(false);
        return c;
    }

    private static Object[] row(long id, int version, Instant ingestedAt) {
        long micros = id * 1_000L;
        return new Object[]{id, id / 4, id % 5_000, (int) (1 + (id + version) % 9),
                BigDecimal.valueOf(1_000 + id % 10_000 + version, 2), BigDecimal.valueOf((1 + (id + version) % 9) * (1_000 + id % 10_000 + version), 2),
                T0.plusNanos(micros * 1_000), version == 0 ? "c" : "u", 1_000_000L + id * 2 + version,
                T0.plusMillis(id), ingestedAt};
    }

    /** The ceiling: one Appender, one plain table without a key, one commit. */
    private Rate appender(int rows, String name) throws SQLException {
        try (DuckDBConnection c = open(name)) {
            try (Statement st = c.createStatement()) {
                st.execute(createTable("plain", null));
                c.commit();
                st.execute("SELECT 1"); // opens the transaction the Appender then writes in
            }
            Instant now = Instant.now();
            Timing timing = new Timing();
            timing.start();
            try (DuckDBAppender ap = c.createAppender("plain")) {
                for (int id = 0; id < rows; id++) {
                    Object[] r = row(id, 0, now);
                    ap.beginRow();
                    for (int i = 0; i < r.length; i++) {
                        Appends.append(ap, COLUMNS.get(i).type(), r[i]);
                    }
                    ap.endRow();
                }
                Appends.flush(ap);
            }
            c.commit();
            checkpoint(c);
            timing.stop();
            return timing.rate(rows);
        }
    }

    /**
     * Every measured path ends with a CHECKPOINT: rows still in the write-ahead log cost their
     * write into the file later, and that cost belongs to the path that left them there.
     */
    private static void checkpoint(DuckDBConnection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /** {@code CREATE TABLE} of the benchmark's columns, with {@code constraint} (or none) at the end. */
    private static String createTable(String name, String constraint) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(name).append(" (");
        for (int i = 0; i < COLUMNS.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append(Sql.ident(COLUMNS.get(i).name())).append(' ').append(COLUMNS.get(i).type().sql());
        }
        return ddl.append(constraint == null ? "" : ", " + constraint).append(')').toString();
    }

    /** The sink's apply path on folded rows: every key inserted, then updated, {@code batch} rows per transaction. */
    private Rate batchPath(String name, int rows, int batch, BatchApplier.Upsert upsert) throws Exception {
        try (DuckDBConnection c = open(name)) {
            DuckDbTables tables = new DuckDbTables(c);
            tables.createLayout();
            tables.ensure(TABLE, COLUMNS, List.of("id"));
            BatchApplier applier = new BatchApplier(c, tables, upsert);
            int keys = rows / 2;
            long offset = 0;
            Timing timing = new Timing();
            for (int done = 0; done < rows; ) {
                int n = Math.min(batch, rows - done);
                Instant now = Instant.now();
                Batch b = new Batch(now);
                TableBatch t = b.table(TABLE);
                for (int i = 0; i < n; i++) {
                    int k = done + i;
                    long id = k % keys;
                    int version = k / keys;
                    t.upsert(new RowKey(id), row(id, version, now), null);
                    b.consumed(new SourceRecord("shop.raw.order_items", (int) (id % 4), offset++, null, null), "raw");
                }
                timing.start();
                applier.apply(b, BatchApplier.BeforeCommit.NONE);
                timing.stop();
                done += n;
            }
            timing.start();
            checkpoint(c);
            timing.stop();
            check(c, keys);
            return timing.rate(rows);
        }
    }

    /**
     * The whole batch path from change-event bytes: JSON decoding, type conversion, polls of
     * {@code poll} messages folded into batches of {@code batch}, apply.
     */
    private Rate fromBytes(int rows, int poll, int batch) throws Exception {
        try (DuckDBConnection c = open("bytes")) {
            DuckDbTables tables = new DuckDbTables(c);
            tables.createLayout();
            BatchBuilder builder = new BatchBuilder(new TopicNames("shop"), tables, Clock.fixed(T0, ZoneOffset.UTC));
            BatchApplier applier = new BatchApplier(c, tables);
            int keys = rows / 2;
            long offset = 0;
            Timing timing = new Timing();
            Batch inHand = null;
            // the sink's limits, but for the wait: a benchmark is always behind
            BatchLimits limits = new BatchLimits(batch, SinkConfig.DEFAULT_MAX_BATCH_BYTES, java.time.Duration.ofDays(1));
            for (int done = 0; done < rows; ) {
                int n = Math.min(poll, rows - done);
                List<SourceRecord> records = poll(done, n, keys, offset);
                offset += n;
                done += n;
                timing.start();
                if (inHand == null) {
                    inHand = builder.start();
                }
                builder.add(inHand, records);
                if (done == rows || limits.due(inHand, java.time.Duration.ZERO, false)) {
                    applier.apply(inHand, BatchApplier.BeforeCommit.NONE);
                    inHand = null;
                }
                timing.stop();
            }
            timing.start();
            checkpoint(c);
            timing.stop();
            check(c, keys);
            return timing.rate(rows);
        }
    }

    /**
     * {@code n} change events of order_items from the {@code first}-th on (every key of {@code keys}
     * inserted, then updated), from {@code offset} on.
     */
    private static List<SourceRecord> poll(int first, int n, int keys, long offset) {
        List<SourceRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = first + i;
            long id = k % keys;
            records.add(new SourceRecord("shop.raw.order_items", 0, offset + i,
                    ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8), ChangeEventJson.orderItem(id, k / keys)));
        }
        return records;
    }

    /**
     * The batch builder alone on the messages {@link #fromBytes} reads, one batch per poll, nothing
     * applied: the decoding's share of that path, without DuckDB's (the table is created once, in
     * memory).
     */
    private Rate decodeOnly(int rows, int poll) throws Exception {
        try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
            c.setAutoCommit(false);
            DuckDbTables tables = new DuckDbTables(c);
            tables.createLayout();
            BatchBuilder builder = new BatchBuilder(new TopicNames("shop"), tables, Clock.fixed(T0, ZoneOffset.UTC));
            long folded = 0;
            Timing timing = new Timing();
            // Offsets from 0, one per message: the n-th message has offset n.
            for (int first = 0; first < rows; first += poll) {
                List<SourceRecord> records = poll(first, Math.min(poll, rows - first), rows / 2, first);
                timing.start();
                Batch b = builder.build(records);
                timing.stop();
                folded += b.table(TABLE).size();
            }
            if (folded != rows) {
                throw new IllegalStateException("expected " + rows + " decoded rows, folded " + folded);
            }
            return timing.rate(rows);
        }
    }

    /** What SPEC §9 rules out: one upsert statement per row (batched JDBC), one commit; stops after {@link #ROW_BY_ROW_LIMIT}. */
    private Rate rowByRow(int rows, int[] done) throws SQLException {
        try (DuckDBConnection c = open("row-by-row")) {
            try (Statement st = c.createStatement()) {
                // INSERT OR REPLACE needs a declared key, which the sink's own tables do without.
                st.execute("CREATE SCHEMA " + TABLE.schema());
                st.execute(createTable(TABLE.sql(), "PRIMARY KEY (id)"));
                c.commit();
            }
            int keys = rows / 2;
            Timing timing = new Timing();
            timing.start();
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + TABLE.sql()
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Instant now = Instant.now();
                for (int k = 0; k < rows; k++) {
                    Object[] r = row(k % keys, k / keys, now);
                    for (int i = 0; i < r.length; i++) {
                        Object v = r[i] instanceof Instant inst ? java.time.OffsetDateTime.ofInstant(inst, ZoneOffset.UTC) : r[i];
                        if (v == null) {
                            ps.setNull(i + 1, Types.NULL);
                        } else {
                            ps.setObject(i + 1, v);
                        }
                    }
                    ps.addBatch();
                    done[0] = k + 1;
                    if (done[0] % 500 == 0) {
                        ps.executeBatch();
                        if (System.nanoTime() - start > ROW_BY_ROW_LIMIT.toNanos()) {
                            break;
                        }
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            timing.stop();
            return timing.rate(done[0]);
        }
    }

    private static void check(DuckDBConnection c, int keys) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE _op = 'u') FROM " + TABLE.sql())) {
            rs.next();
            if (rs.getLong(1) != keys || rs.getLong(2) != keys) {
                throw new IllegalStateException("expected " + keys + " updated rows, found " + rs.getLong(1) + " / " + rs.getLong(2));
            }
        }
        c.commit();
    }

    /** Rows per second of wall-clock time and per second of the process's CPU time (all threads, DuckDB's too). */
    private record Rate(double wall, double cpu) {
        /** The median wall-clock rate and, separately, the median CPU rate. */
        static Rate median(List<Rate> rates) {
            return new Rate(median(rates.stream().mapToDouble(Rate::wall).sorted().toArray()),
                    median(rates.stream().mapToDouble(Rate::cpu).sorted().toArray()));
        }

        static double median(double[] sorted) {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    /**
     * Wall-clock and process CPU time over the measured stretches only. On a machine others share,
     * CPU time is the steadier figure: waiting for a core does not count in it (waiting for the
     * disk does not either, which is why wall-clock time stays the headline).
     */
    private static final class Timing {
        private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private long wall;
        private long cpu;
        private long wallStart;
        private long cpuStart;

        void start() {
            wallStart = System.nanoTime();
            cpuStart = OS.getProcessCpuTime();
        }

        void stop() {
            wall += System.nanoTime() - wallStart;
            cpu += OS.getProcessCpuTime() - cpuStart;
        }

        Rate rate(int rows) {
            return new Rate(rows / (wall / 1e9), rows / (Math.max(cpu, 1) / 1e9));
        }
    }
}
