package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs SQL on a test database, one auto-committed statement at a time. */
final class Sql {

    private Sql() {
    }

    static void run(PgDsn dsn, String... statements) {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + dsn + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query. */
    static String queryString(PgDsn dsn, String sql) {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + dsn + ": " + e.getMessage(), e);
        }
    }

    /** The small shop-like schema every capture test starts from. */
    static final String[] SCHEMA = {
            """
            CREATE TABLE products (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL,
                category TEXT DEFAULT 'misc',
                price NUMERIC(10, 2) NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                description TEXT)""",
            """
            CREATE TABLE order_items (
                id BIGSERIAL PRIMARY KEY,
                order_ref BIGINT NOT NULL,
                quantity INTEGER NOT NULL,
                unit_price NUMERIC(10, 2) NOT NULL,
                total_price NUMERIC(12, 2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now())""",
            "CREATE TABLE product_tags (product_id BIGINT, tag TEXT, PRIMARY KEY (product_id, tag))",
            "CREATE TABLE audit_log (logged_at TIMESTAMPTZ DEFAULT now(), message TEXT)"
    };

    /** A text that PostgreSQL stores out of line (TOAST): long and not compressible enough to fit a page. */
    static final String BIG_TEXT_SQL = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g)";

    /** Rows before capture starts: what the snapshot must carry. */
    static final String[] SEED = {
            "INSERT INTO products (name, category, price, updated_at, description) VALUES"
                    + " ('Tee', 't-shirts', 19.99, '2024-01-01T10:00:00Z', 'plain'),"
                    + " ('Hoodie', NULL, 45.50, '2024-01-02T11:30:00.123456+01', NULL)",
            "INSERT INTO products (name, price, description) VALUES ('Poster', 5.00, " + BIG_TEXT_SQL + ")",
            "INSERT INTO order_items (order_ref, quantity, unit_price) VALUES"
                    + " (1, 2, 19.99), (1, 1, 45.50), (2, 3, 0.35), (2, 7, 1234.56)",
            "INSERT INTO product_tags VALUES (1, 'summer'), (2, 'winter')",
            "INSERT INTO audit_log (message) VALUES ('seeded')"
    };
}
