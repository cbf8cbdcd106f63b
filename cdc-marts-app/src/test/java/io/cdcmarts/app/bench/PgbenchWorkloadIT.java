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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped pgbench scripts, run by the real pgbench against a real PostgreSQL with the shop:
 * every kind of change happens, no transaction fails, each order's total stays the sum of its
 * items, and bench's markers are left alone. Skipped when no pgbench is installed, unless
 * {@code CDC_PGBENCH_REQUIRED=1} (which {@code .ci/run} sets).
 */
class PgbenchWorkloadIT {

    @Test
    void theShopScriptsChangeEverythingTheySayKeepTotalsAndLeaveMarkersAlone() throws Exception {
        String pgbench = Pgbench.requireOrSkip();
        // Given a shop and three of bench's markers
        PgDsn dsn = SharedInfra.get().newDatabase("pgbench_it");
        Schema.create(dsn);
        new BulkGenerator(GeneratorConfig.builder(dsn).customers(50).products(20).orders(400).chaosPercent(0).build()).run();
        try (Markers markers = Markers.open(dsn)) {
            for (int k = 0; k < 3; k++) {
                markers.write(k);
            }
        }
        List<String> markersBefore = markerRows(dsn);
        long lastOrderBefore = single(dsn, "SELECT max(id) FROM orders");
        long[] before = changes(dsn);

        // When the workload runs 5 s at 400 transactions/s on 4 connections, picking among the newest 100
        // orders and 300 items (the markers are the newest: picked hundreds of times)
        try (PgbenchWorkload workload = new PgbenchWorkload(pgbench, dsn, 400, 4, Duration.ofSeconds(5), 100, 300)) {
            workload.start();
            workload.awaitTermination(Duration.ofSeconds(60));
            workload.throwIfFailed();

            // Then it kept the rate without a failure
            assertThat(workload.events()).isBetween(1_600L, 2_100L);
            assertThat(workload.failures()).isZero();
        }

        // And orders and items were inserted, updated and deleted (pgbench's backends report their counts as they exit)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long[] after = changes(dsn);
            for (int i = 0; i < after.length; i++) {
                assertThat(after[i]).as(CHANGE_NAMES[i]).isGreaterThan(before[i]);
            }
        });
        assertThat(single(dsn, "SELECT count(*) FROM orders WHERE id > " + lastOrderBefore + " AND status <> 'pending'"))
                .as("new orders that moved on").isPositive();
        // And every new order's total is the sum of its items
        assertThat(single(dsn, "SELECT count(*) FROM orders o WHERE o.id > " + lastOrderBefore
                + " AND o.total_amount IS DISTINCT FROM (SELECT coalesce(sum(total_price), 0) FROM order_items WHERE order_id = o.id)"))
                .isZero();
        // And the markers are as bench wrote them
        assertThat(markerRows(dsn)).isEqualTo(markersBefore).hasSize(6);
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

    private static List<String> markerRows(PgDsn dsn) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection conn = connect(dsn); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT 'order ' || o::text FROM orders o WHERE order_date < '1900-01-01'"
                        + " UNION ALL SELECT 'item ' || i::text FROM order_items i JOIN orders o ON o.id = i.order_id"
                        + " WHERE o.order_date < '1900-01-01' ORDER BY 1")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
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
