package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC conveniences for the integration tests: one query, one answer. */
final class Sql implements AutoCloseable {

    /**
     * The staging checks of SPEC §5 as SQL over the source tables, cleaning first (trim; email and
     * category lower-cased; size upper-cased): each query counts the rows that would be dead-lettered.
     */
    static final String BAD_CUSTOMERS = """
            SELECT count(*) FROM customers
            WHERE btrim(full_name) = '' OR btrim(country) = '' OR age < 0 OR age > 120
               OR lower(btrim(email)) !~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'""";
    static final String BAD_PRODUCTS = """
            SELECT count(*) FROM products
            WHERE btrim(name) = ''
               OR lower(btrim(category)) NOT IN ('t-shirts', 'hoodies', 'shoes', 'accessories', 'jackets')""";
    static final String BAD_SIZE = """
            (CASE WHEN lower(btrim(p.category)) = 'shoes'
                  THEN NOT coalesce(upper(btrim(v.size)) ~ '^[0-9]+$'
                                    AND upper(btrim(v.size))::int BETWEEN 35 AND 48, false)
                  ELSE coalesce(upper(btrim(v.size)) NOT IN ('S', 'M', 'L', 'XL'), true) END)""";
    static final String BAD_VARIANTS = """
            SELECT count(*) FROM product_variants v JOIN products p ON p.id = v.product_id
            WHERE v.manufacturing_price <= 0 OR v.selling_price <= 0 OR v.stock_quantity < 0 OR""" + BAD_SIZE;
    static final String BAD_ORDERS = """
            SELECT count(*) FROM orders WHERE btrim(status) NOT IN ('pending', 'paid', 'cancelled', 'shipped')""";
    static final String BAD_ITEMS = "SELECT count(*) FROM order_items WHERE quantity <= 0 OR unit_price <= 0";

    private final Connection connection;

    Sql(PgDsn dsn) throws SQLException {
        this.connection = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
    }

    Connection connection() {
        return connection;
    }

    long count(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** Every row of the query as one tab-separated line, in the query's order. */
    List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (i > 1) {
                        row.append('\t');
                    }
                    row.append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
