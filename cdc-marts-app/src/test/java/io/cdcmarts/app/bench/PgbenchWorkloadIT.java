package io.cdcmarts.app.bench;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.generator.BulkGenerator;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.generator.Schema;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped pgbench scripts, run by the real pgbench against a real PostgreSQL with the shop:
 * every kind of change happens, no transaction fails, each order's total stays the sum of its
 * items under heavy contention, and bench's markers, written beside it, are left alone. Skipped when no pgbench is installed, unless
 * {@code CDC_PGBENCH_REQUIRED=1} (which {@code .ci/run} sets).
 */
class PgbenchWorkloadIT {

    @Test
    void theShopScriptsChangeEverythingTheySayKeepTotalsAndLeaveMarkersAlone() throws Exception {
        String pgbench = Pgbench.requireOrSkip();
        // Given a shop
        PgDsn dsn = SharedInfra.get().newDatabase("pgbench_it");
        Schema.create(dsn);
        new BulkGenerator(GeneratorConfig.builder(dsn).customers(50).products(20).orders(400).chaosPercent(0).build()).run();
        long lastOrderBefore = single(dsn, "SELECT max(id) FROM orders");
        long[] before = changes(dsn);

        // When the workload runs 5 s at 800 transactions/s on 8 connections, picking among the newest 5
        // orders and 10 items (every order and item it makes is changed again and again, concurrently),
        // while bench's markers are written beside it, 50 a second, so they are among the newest too
        int markersWritten = 0;
        try (PgbenchWorkload workload = new PgbenchWorkload(pgbench, dsn, 800, 8, Duration.ofSeconds(5), 7, 5);
             Markers markers = Markers.open(dsn)) {
            workload.start();
            long started = System.nanoTime();
            for (long next = started; next < started + Duration.ofSeconds(5).toNanos(); next += Duration.ofMillis(20).toNanos()) {
                LockSupport.parkNanos(next - System.nanoTime()); // paced as bench paces its markers
                workload.throwIfFailed();
                markers.write(markersWritten++);
            }
            workload.awaitTermination(Duration.ofSeconds(60));
            workload.throwIfFailed();

            // Then it ran at the rate (at least half of it on a busy machine) without a failure
            assertThat(workload.events()).isBetween(2_000L, 4_200L);
            assertThat(workload.failures()).isZero();
        }

        // And orders and items were inserted, updated and deleted (pgbench's backends report their counts as they exit)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long[] after = changes(dsn);
            for (int i = 0; i < after.length; i++) {
                assertThat(after[i]).as(CHANGE_NAMES[i]).isGreaterThan(before[i]);
            }
        });
        assertThat(single(dsn, "SELECT count(*) FROM orders WHERE id > " + lastOrderBefore + " AND status <> 'pending'"
                + " AND order_date >= '1900-01-01'")).as("new orders that moved on").isPositive();
        // And every new order's total is the sum of its items
        assertThat(single(dsn, "SELECT count(*) FROM orders o WHERE o.id > " + lastOrderBefore
                + " AND o.total_amount IS DISTINCT FROM (SELECT coalesce(sum(total_price), 0) FROM order_items WHERE order_id = o.id)"
                + " AND order_date >= '1900-01-01'")).as("orders whose total is not the sum of their items").isZero();
        // And every marker is as bench wrote it: paid, 1.00, one item of quantity 1 at 1.00
        assertThat(markersWritten).isGreaterThan(50);
        assertThat(single(dsn, "SELECT count(*) FROM orders o WHERE order_date < '1900-01-01' AND status = 'paid'"
                + " AND total_amount = 1.00 AND (SELECT count(*) FROM order_items i WHERE i.order_id = o.id"
                + " AND quantity = 1 AND unit_price = 1.00) = 1"
                + " AND (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) = 1")).isEqualTo(markersWritten);
    }

    private static final String[] CHANGE_NAMES = {"orders inserted", "orders updated", "orders deleted",
            "order_items inserted", "order_items updated", "order_items deleted"};

    private static long[] changes(PgDsn dsn) throws SQLException {
        long[] c = new long[6];
        try (Connection conn = connect(dsn); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE relname IN ('orders', 'order_items')")) {
            while (rs.next()) {
                int base = rs.getString(1).equals("orders") ? 0 : 3;
                c[base] = rs.getLong(2);
                c[base + 1] = rs.getLong(3);
                c[base + 2] = rs.getLong(4);
            }
        }
        return c;
    }

    private static long single(PgDsn dsn, String sql) throws SQLException {
        try (Connection conn = connect(dsn); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(PgDsn dsn) throws SQLException {
        return DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
    }
}
