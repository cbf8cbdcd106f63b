package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The independent oracle: SPEC §5's cleaning and checks and SPEC §6's mart definitions, written
 * from the SPEC as PostgreSQL SQL over the public source tables and run on PostgreSQL. It shares
 * nothing with the processor (Java) or with {@code verify} (SQL over DuckDB's raw and stg layers),
 * so a misreading of the SPEC in either shows up as a difference here.
 *
 * <p>Every mart's query returns its DuckDB columns under their DuckDB names; ratios are rounded
 * here, half-up to 4 places as SPEC §6 says (PostgreSQL's {@code round(numeric, int)} rounds half
 * away from zero; the operands are widened first so the division keeps 18 places before rounding).
 */
final class PostgresMartOracle {

    /** A mart: its name (table {@code mart.<name>} in DuckDB), key columns, every column, and the query. */
    record Mart(String name, List<String> keys, List<String> columns, String sql) {
    }

    private PostgresMartOracle() {
    }

    /** SPEC §5 cleaning: surrounding white space of every kind, not only spaces (btrim trims spaces only). */
    private static String trim(String column) {
        return "regexp_replace(" + column + ", '^\\s+|\\s+$', '', 'g')";
    }

    /** SPEC §5: a row is in stg when it passes every check of its table, judged on the cleaned row. */
    private static final String STAGING = """
            stg_customers AS (
                SELECT * FROM (
                    SELECT id, %s AS full_name, lower(%s) AS email, %s AS country, age FROM customers) c
                WHERE full_name IS NOT NULL AND full_name <> ''
                  AND email IS NOT NULL AND email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'
                  AND country IS NOT NULL AND country <> ''
                  AND (age IS NULL OR age BETWEEN 0 AND 120)),
            stg_products AS (
                SELECT * FROM (
                    SELECT id, %s AS name, lower(%s) AS category, upper(%s) AS sku FROM products) p
                WHERE name IS NOT NULL AND name <> ''
                  AND category IN ('t-shirts', 'hoodies', 'shoes', 'accessories', 'jackets')
                  AND sku IS NOT NULL),
            stg_variants AS (
                SELECT * FROM (
                    SELECT v.id, v.product_id, upper(%s) AS variant_sku, %s AS color, upper(%s) AS size,
                           v.manufacturing_price, v.selling_price, v.stock_quantity,
                           lower(%s) AS product_category
                    FROM product_variants v JOIN products p ON p.id = v.product_id) v
                WHERE CASE
                        WHEN size IS NULL THEN false
                        WHEN product_category = 'shoes' THEN size ~ '^[0-9]{1,9}$' AND size::bigint BETWEEN 35 AND 48
                        ELSE size IN ('S', 'M', 'L', 'XL')
                      END
                  AND manufacturing_price > 0 AND selling_price > 0 AND stock_quantity >= 0),
            stg_orders AS (
                SELECT * FROM (SELECT id, customer_id, order_date, %s AS status FROM orders) o
                WHERE status IN ('pending', 'paid', 'cancelled', 'shipped') AND order_date IS NOT NULL),
            stg_items AS (
                SELECT id, order_id, variant_id, quantity, unit_price FROM order_items
                WHERE quantity > 0 AND unit_price > 0),
            revenue_orders AS (
                SELECT id, customer_id, (order_date AT TIME ZONE 'UTC')::date AS day
                FROM stg_orders WHERE status IN ('paid', 'shipped'))
            """.formatted(trim("full_name"), trim("email"), trim("country"),
            trim("name"), trim("category"), trim("sku"),
            trim("v.variant_sku"), trim("v.color"), trim("v.size"), trim("p.category"),
            trim("status"));

    /** Per revenue order: staged items' units and revenue (an order without staged items has none). */
    private static final String ORDER_TOTALS = """
            , order_totals AS (
                SELECT o.id AS order_id, o.customer_id, o.day,
                       coalesce(sum(i.quantity), 0) AS units,
                       coalesce(sum(i.quantity * i.unit_price), 0) AS revenue
                FROM revenue_orders o LEFT JOIN stg_items i ON i.order_id = o.id
                GROUP BY o.id, o.customer_id, o.day)
            """;

    /** Product and category marts: raw items, variants and products, of revenue orders. */
    private static final String RAW_LINES = """
            , raw_lines AS (
                SELECT p.id AS product_id, p.name AS product_name, p.category, i.quantity,
                       i.quantity * i.unit_price AS revenue, i.quantity * v.manufacturing_price AS cost
                FROM order_items i
                JOIN revenue_orders o ON o.id = i.order_id
                JOIN product_variants v ON v.id = i.variant_id
                JOIN products p ON p.id = v.product_id)
            """;

    private static String ratio(String numerator, String denominator) {
        return "CASE WHEN (" + denominator + ") = 0 THEN NULL ELSE round((" + numerator
                + ")::numeric(38, 18) / (" + denominator + "), 4) END";
    }

    private static final String VARIANT_MART = """
            SELECT v.id AS variant_id, v.variant_sku, v.product_id, p.name AS product_name, v.color, v.size,
                   sum(i.quantity) AS units, sum(i.quantity * i.unit_price) AS revenue,
                   sum(i.quantity * v.manufacturing_price) AS cost,
                   sum(i.quantity * i.unit_price) - sum(i.quantity * v.manufacturing_price) AS gross_profit
            FROM stg_items i
            JOIN revenue_orders o ON o.id = i.order_id
            JOIN stg_variants v ON v.id = i.variant_id
            JOIN stg_products p ON p.id = v.product_id
            GROUP BY v.id, v.variant_sku, v.product_id, p.name, v.color, v.size
            """;

    static final List<Mart> ALL = List.of(
            new Mart("sales_daily", List.of("day"), List.of("day", "orders", "units", "revenue", "avg_order_value"),
                    "WITH " + STAGING + ORDER_TOTALS + """
                            SELECT day, count(*) AS orders, sum(units) AS units, sum(revenue) AS revenue,
                                   %s AS avg_order_value
                            FROM order_totals GROUP BY day""".formatted(ratio("sum(revenue)", "count(*)"))),
            new Mart("revenue_by_product", List.of("product_id"),
                    List.of("product_id", "product_name", "category", "units", "revenue", "cost", "gross_profit"),
                    "WITH " + STAGING + RAW_LINES + """
                            SELECT product_id, product_name, category, sum(quantity) AS units, sum(revenue) AS revenue,
                                   sum(cost) AS cost, sum(revenue) - sum(cost) AS gross_profit
                            FROM raw_lines GROUP BY product_id, product_name, category"""),
            new Mart("revenue_by_category", List.of("category"),
                    List.of("category", "products_sold", "units", "revenue", "cost", "gross_profit"),
                    "WITH " + STAGING + RAW_LINES + """
                            SELECT category, count(DISTINCT product_id) AS products_sold, sum(quantity) AS units,
                                   sum(revenue) AS revenue, sum(cost) AS cost, sum(revenue) - sum(cost) AS gross_profit
                            FROM raw_lines GROUP BY category"""),
            new Mart("revenue_by_product_variant", List.of("variant_id"),
                    List.of("variant_id", "variant_sku", "product_id", "product_name", "color", "size",
                            "units", "revenue", "cost", "gross_profit"),
                    "WITH " + STAGING + VARIANT_MART),
            new Mart("customers_by_age", List.of("age_band"), List.of("age_band", "customers"),
                    "WITH " + STAGING + """
                            SELECT CASE WHEN age < 18 THEN '<18' WHEN age < 25 THEN '18-24' WHEN age < 35 THEN '25-34'
                                        WHEN age < 45 THEN '35-44' WHEN age < 55 THEN '45-54' WHEN age < 65 THEN '55-64'
                                        ELSE '65+' END AS age_band,
                                   count(*) AS customers
                            FROM stg_customers WHERE age IS NOT NULL GROUP BY 1"""),
            new Mart("customers_by_country", List.of("country"), List.of("country", "customers"),
                    "WITH " + STAGING + "SELECT country, count(*) AS customers FROM stg_customers GROUP BY country"),
            new Mart("kpis", List.of("kpi_scope"),
                    List.of("kpi_scope", "orders", "units", "revenue", "avg_order_value", "units_per_order",
                            "customers_with_orders", "repeat_customers", "repeat_purchase_rate"),
                    "WITH " + STAGING + ORDER_TOTALS + """
                            , per_customer AS (SELECT customer_id, count(*) AS orders FROM revenue_orders GROUP BY customer_id),
                            repeaters AS (
                                SELECT count(*) AS with_orders, count(*) FILTER (WHERE orders >= 2) AS repeat FROM per_customer)
                            SELECT 'all' AS kpi_scope, count(*) AS orders, sum(t.units) AS units, sum(t.revenue) AS revenue,
                                   %s AS avg_order_value, %s AS units_per_order,
                                   r.with_orders AS customers_with_orders, r.repeat AS repeat_customers,
                                   %s AS repeat_purchase_rate
                            FROM order_totals t CROSS JOIN repeaters r
                            GROUP BY r.with_orders, r.repeat
                            HAVING count(*) > 0""".formatted(ratio("sum(t.revenue)", "count(*)"),
                            ratio("sum(t.units)", "count(*)"), ratio("r.repeat", "r.with_orders"))),
            // "variant_sku asc" is byte order (COLLATE "C"), as DuckDB sorts; a locale collation
            // would order punctuation and case differently.
            new Mart("top_skus", List.of("rank"), List.of("rank", "variant_sku", "product_name", "units", "revenue"),
                    "WITH " + STAGING + ", variant_mart AS (" + VARIANT_MART + """
                            ) SELECT rank, variant_sku, product_name, units, revenue FROM (
                                SELECT row_number() OVER (ORDER BY revenue DESC, variant_sku COLLATE "C" ASC) AS rank,
                                       variant_sku, product_name, units, revenue FROM variant_mart) ranked
                            WHERE rank <= 10"""));

    /** SPEC §6's DuckDB type of a mart column: money DECIMAL(18,2), ratios DECIMAL(18,4), counts and ids BIGINT. */
    static String specType(String column) {
        return switch (column) {
            case "day" -> "DATE";
            case "rank" -> "INTEGER";
            case "orders", "units", "customers", "products_sold", "customers_with_orders", "repeat_customers",
                 "product_id", "variant_id" -> "BIGINT";
            case "revenue", "cost", "gross_profit" -> "DECIMAL(18,2)";
            case "avg_order_value", "units_per_order", "repeat_purchase_rate" -> "DECIMAL(18,4)";
            default -> "VARCHAR";
        };
    }

    /** Every mart computed on PostgreSQL now, by mart name, rows as comparable text keyed by their key columns. */
    static Map<String, Map<String, Map<String, String>>> compute(PgDsn dsn) throws SQLException {
        Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties())) {
            // One snapshot for all marts, so they describe the same source state.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            for (Mart mart : ALL) {
                out.put(mart.name(), keyed(mart, TableSnapshot.rows(c, mart.sql())));
            }
            c.commit();
        }
        return out;
    }

    /** The DuckDB marts, in the same shape as {@link #compute}. */
    static Map<String, Map<String, Map<String, String>>> duckdb(Connection duck) throws SQLException {
        Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
        for (Mart mart : ALL) {
            boolean exists = !TableSnapshot.duckdbColumns(duck, "mart", mart.name()).isEmpty();
            out.put(mart.name(), exists
                    ? keyed(mart, TableSnapshot.rows(duck, "SELECT " + String.join(", ", mart.columns()) + " FROM mart." + mart.name()))
                    : Map.of());
        }
        return out;
    }

    private static Map<String, Map<String, String>> keyed(Mart mart, List<Map<String, String>> rows) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Map<String, String> row : rows) {
            String key = mart.keys().stream().map(k -> k + "=" + row.get(k)).reduce((a, b) -> a + "," + b).orElseThrow();
            if (out.put(key, row) != null) {
                throw new IllegalStateException("mart " + mart.name() + " has two rows for key " + key);
            }
        }
        return out;
    }
}
