package io.cdcmarts.app.bench;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.generator.StreamingWorkload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * The bench's marker rows in the source: marker {@code k} is a paid order dated
 * {@link #FIRST_DAY} + k days (UTC noon) with one item, written in a transaction of its own. No
 * shop order is dated before {@link #END_DAY}, so the day alone tells a marker in {@code raw.orders}
 * and in {@code mart.sales_daily}.
 */
final class Markers implements AutoCloseable {

    /** The day of marker 0. */
    static final LocalDate FIRST_DAY = LocalDate.of(1800, 1, 1);
    /**
     * Orders dated before this are markers (36,524 days of room after {@link #FIRST_DAY}); the
     * generator's workload never picks them, so nothing else changes a marker before it is seen.
     */
    static final LocalDate END_DAY = StreamingWorkload.ORDERS_LEFT_ALONE_BEFORE;

    private static final String MARKER_WHERE = "order_date < TIMESTAMPTZ '" + END_DAY + " 00:00:00+00'";

    private final Connection connection;
    private final long customerId;
    private final long variantId;

    private Markers(Connection connection, long customerId, long variantId) {
        this.connection = connection;
        this.customerId = customerId;
        this.variantId = variantId;
    }

    /**
     * Connects, deletes the markers an earlier run left, and picks the customer and variant the
     * markers use (the first of each).
     *
     * @throws IllegalStateException when the shop has no customer or variant yet
     */
    static Markers open(PgDsn dsn) throws SQLException {
        Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
        try {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM orders WHERE " + MARKER_WHERE);
            }
            long customer = firstId(c, "customers");
            long variant = firstId(c, "product_variants");
            return new Markers(c, customer, variant);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static long firstId(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT min(id) FROM " + table)) {
            rs.next();
            long id = rs.getLong(1);
            if (rs.wasNull()) {
                throw new IllegalStateException("the source has no " + table + " yet: load the shop first "
                        + "(cdc-marts generate --create-schema, or cdc-marts local)");
            }
            return id;
        }
    }

    /** Writes marker {@code k} (order and item, one transaction); returns once PostgreSQL committed it. */
    void write(int k) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement order = connection.prepareStatement(
                "INSERT INTO orders (customer_id, order_date, status, total_amount) "
                        + "VALUES (?, TIMESTAMPTZ '" + FIRST_DAY + " 12:00:00+00' + make_interval(days => ?), 'paid', 1.00) RETURNING id");
             PreparedStatement item = connection.prepareStatement(
                     "INSERT INTO order_items (order_id, variant_id, quantity, unit_price) VALUES (?, ?, 1, 1.00)")) {
            order.setLong(1, customerId);
            order.setInt(2, k);
            long orderId;
            try (ResultSet rs = order.executeQuery()) {
                rs.next();
                orderId = rs.getLong(1);
            }
            item.setLong(1, orderId);
            item.setLong(2, variantId);
            item.executeUpdate();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Deletes this run's markers (their items go with them: ON DELETE CASCADE). */
    int deleteAll() throws SQLException {
        try (Statement st = connection.createStatement()) {
            return st.executeUpdate("DELETE FROM orders WHERE " + MARKER_WHERE);
        }
    }

    /** Row changes in the source's user tables so far (pg_stat_user_tables: inserts, updates, deletes). */
    long rowChanges() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
