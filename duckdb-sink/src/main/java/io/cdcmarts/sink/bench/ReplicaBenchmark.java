package io.cdcmarts.sink.bench;

import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.duckdb.DuckDbTables;
import io.cdcmarts.sink.replica.ReplicaSnapshot;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of one {@code --replica} refresh on a sink file the size of a shop's: how long the
 * sink's writes wait (the copy of the file and its log), how long until the new replica is swapped
 * in (replaying the copied log, {@code replica.info}, the checkpoint), and its bytes.
 *
 * <p>The file has the sink's layout and tables of the tutorial shop's shape: {@code items} order
 * items (default 1,020,000, what {@code generate --orders 340000} makes), a third as many orders,
 * a thirtieth as many customers, in raw and stg, and small marts, checkpointed; then
 * {@code logRows} (default 100,000) order items updated the sink's way (DELETE + INSERT) and left
 * in the write-ahead log, as between two of the sink's checkpoints. Arguments (all optional):
 * {@code items logRows reps dir}.
 */
public final class ReplicaBenchmark {

    private ReplicaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long items = args.length > 0 ? Long.parseLong(args[0]) : 1_020_000;
        long logRows = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("replica-bench");
        Path file = dir.resolve("sink.duckdb");
        Path replica = dir.resolve("replica").resolve("replica.duckdb");
        try (DuckDBConnection c = SinkService.open(file)) {
            new DuckDbTables(c).createLayout();
            build(c, items, logRows);
            long fileBytes = Files.size(file);
            long logBytes = Files.exists(Path.of(file + ".wal")) ? Files.size(Path.of(file + ".wal")) : 0;
            System.out.printf("sink file %,d bytes + log %,d bytes (%,d order items, %,d of them updated since the checkpoint)%n",
                    fileBytes, logBytes, items, logRows);
            ReplicaSnapshot snapshot = new ReplicaSnapshot(file, replica);
            double[] copy = new double[reps];
            double[] publish = new double[reps];
            long bytes = 0;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                snapshot.copy();
                long t1 = System.nanoTime();
                bytes = snapshot.publish(Instant.now());
                long t2 = System.nanoTime();
                copy[i] = (t1 - t0) / 1e6;
                publish[i] = (t2 - t1) / 1e6;
                System.out.printf("refresh %d: copy (the sink waits) %.0f ms, then to swapped in %.0f ms, replica %,d bytes%n",
                        i + 1, copy[i], publish[i], bytes);
            }
            Arrays.sort(copy);
            Arrays.sort(publish);
            System.out.printf("median of %d: copy %.0f ms, replay + info + checkpoint + swap %.0f ms, replica %,d bytes%n",
                    reps, copy[reps / 2], publish[reps / 2], bytes);
        }
    }

    private static void build(DuckDBConnection c, long items, long logRows) throws Exception {
        long orders = items / 3;
        long customers = Math.max(1, items / 30);
        List<String> sql = new ArrayList<>();
        String meta = ", 'c' AS _op, range AS _lsn, TIMESTAMPTZ '2024-01-01' + to_seconds(range) AS _source_ts, now() AS _ingested_at";
        String items0 = "SELECT range AS id, range // 3 AS order_id, hash(range) % 50 AS product_id, (hash(range) % 5 + 1)::INTEGER AS quantity, "
                + "((hash(range) % 10000) / 100)::DECIMAL(10,2) AS unit_price, TIMESTAMPTZ '2024-01-01' + to_seconds(range) AS created_at";
        String orders0 = "SELECT range AS id, hash(range) % " + customers + " AS customer_id, "
                + "(['pending','paid','shipped','cancelled'])[(hash(range) % 4 + 1)::BIGINT] AS status, ((hash(range) % 100000) / 100)::DECIMAL(12,2) AS total, "
                + "TIMESTAMPTZ '2024-01-01' + to_seconds(range * 3) AS order_date, 'note ' || (hash(range) % 1000) AS notes";
        String customers0 = "SELECT range AS id, 'customer ' || range AS name, 'c' || range || '@example.com' AS email, "
                + "(['DE','FR','US','GB','NL','PL','ES','IT'])[(hash(range) % 8 + 1)::BIGINT] AS country, TIMESTAMPTZ '2023-01-01' + to_seconds(range) AS created_at";
        sql.add("CREATE TABLE raw.order_items AS " + items0 + meta + " FROM range(" + items + ")");
        sql.add("CREATE TABLE stg.order_items AS " + items0 + ", range AS _lsn, TIMESTAMPTZ '2024-01-01' + to_seconds(range) AS _source_ts FROM range(" + items + ")");
        sql.add("CREATE TABLE raw.orders AS " + orders0 + meta + " FROM range(" + orders + ")");
        sql.add("CREATE TABLE stg.orders AS " + orders0 + ", range AS _lsn, TIMESTAMPTZ '2024-01-01' + to_seconds(range) AS _source_ts FROM range(" + orders + ")");
        sql.add("CREATE TABLE raw.customers AS " + customers0 + meta + " FROM range(" + customers + ")");
        sql.add("CREATE TABLE stg.customers AS " + customers0 + ", range AS _lsn, TIMESTAMPTZ '2024-01-01' + to_seconds(range) AS _source_ts FROM range(" + customers + ")");
        sql.add("CREATE TABLE mart.sales_daily AS SELECT DATE '2024-01-01' + range::INTEGER AS day, (range * 17 % 100000)::DECIMAL(18,2) AS revenue, range AS orders FROM range(365)");
        sql.add("CREATE TABLE mart.revenue_by_product AS SELECT range AS product_id, (range * 31 % 100000)::DECIMAL(18,2) AS revenue FROM range(50)");
        sql.add("INSERT INTO _cdc.offsets SELECT 'shop.' || l || '.' || t, 0, " + items + ", now() FROM (VALUES ('raw'), ('stg')) a(l), "
                + "(VALUES ('order_items'), ('orders'), ('customers')) b(t)");
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
            c.commit();
            st.execute("CHECKPOINT");
            c.commit();
            // Changes since the last checkpoint, in the log: updates as the sink writes them, in batches of 20,000
            for (long from = 0; from < logRows; from += 20_000) {
                long to = Math.min(logRows, from + 20_000);
                st.execute("DELETE FROM raw.order_items WHERE id >= " + from + " AND id < " + to);
                st.execute("INSERT INTO raw.order_items " + items0.replace("(hash(range) % 5 + 1)", "(hash(range) % 5 + 2)")
                        + ", 'u', range, now(), now() FROM range(" + from + ", " + to + ")");
                st.execute("UPDATE _cdc.offsets SET next_offset = next_offset + " + (to - from) + " WHERE topic = 'shop.raw.order_items'");
                c.commit();
            }
        }
    }
}
