package io.cdcmarts.sink.verify;

import java.util.List;

/**
 * The definitions of SPEC §6, written once as SQL over {@code raw.*} and {@code stg.*}.
 * A revenue order is a staging order whose status is paid or shipped; its day is order_date in UTC.
 * Product and category marts read the raw layer; the variant mart reads staging; sales and KPIs
 * read staging orders and items whatever the item's variant.
 */
public final class BatchMarts {

    private BatchMarts() {
    }

    private static final String REVENUE_ORDERS = """
            revenue_orders AS (
                SELECT id, customer_id, CAST(order_date AT TIME ZONE 'UTC' AS DATE) AS day
                FROM stg.orders WHERE status IN ('paid', 'shipped'))""";

    private static final String STG_ORDER_TOTALS = """
            order_totals AS (
                SELECT i.order_id, SUM(i.quantity) AS units, SUM(i.quantity * i.unit_price) AS revenue
                FROM stg.order_items i GROUP BY i.order_id)""";

    private static final String RAW_LINES = """
            lines AS (
                SELECT p.id AS product_id, p.name AS product_name, p.category,
                       i.quantity, i.quantity * i.unit_price AS revenue,
                       i.quantity * v.manufacturing_price AS cost
                FROM raw.order_items i
                JOIN revenue_orders o ON o.id = i.order_id
                JOIN raw.product_variants v ON v.id = i.variant_id
                JOIN raw.products p ON p.id = v.product_id)""";

    public static final MartDefinition SALES_DAILY = new MartDefinition("sales_daily",
            List.of("day"), List.of("day", "orders", "units", "revenue", "avg_order_value"),
            "WITH " + REVENUE_ORDERS + ", " + STG_ORDER_TOTALS + """
                    SELECT o.day, COUNT(*) AS orders,
                           COALESCE(SUM(t.units), 0) AS units,
                           CAST(COALESCE(SUM(t.revenue), 0) AS DECIMAL(18,2)) AS revenue,
                           COALESCE(SUM(t.revenue), 0) AS avg_order_value__num, COUNT(*) AS avg_order_value__den
                    FROM revenue_orders o LEFT JOIN order_totals t ON t.order_id = o.id
                    GROUP BY o.day""",
            List.of("avg_order_value"));

    public static final MartDefinition REVENUE_BY_PRODUCT = new MartDefinition("revenue_by_product",
            List.of("product_id"),
            List.of("product_id", "product_name", "category", "units", "revenue", "cost", "gross_profit"),
            "WITH " + REVENUE_ORDERS + ", " + RAW_LINES + """
                    SELECT product_id, product_name, category, SUM(quantity) AS units,
                           CAST(SUM(revenue) AS DECIMAL(18,2)) AS revenue, CAST(SUM(cost) AS DECIMAL(18,2)) AS cost,
                           CAST(SUM(revenue) - SUM(cost) AS DECIMAL(18,2)) AS gross_profit
                    FROM lines GROUP BY product_id, product_name, category""",
            List.of());

    public static final MartDefinition REVENUE_BY_CATEGORY = new MartDefinition("revenue_by_category",
            List.of("category"),
            List.of("category", "products_sold", "units", "revenue", "cost", "gross_profit"),
            "WITH " + REVENUE_ORDERS + ", " + RAW_LINES + """
                    SELECT category, COUNT(DISTINCT product_id) AS products_sold, SUM(quantity) AS units,
                           CAST(SUM(revenue) AS DECIMAL(18,2)) AS revenue, CAST(SUM(cost) AS DECIMAL(18,2)) AS cost,
                           CAST(SUM(revenue) - SUM(cost) AS DECIMAL(18,2)) AS gross_profit
                    FROM lines GROUP BY category""",
            List.of());

    public static final MartDefinition REVENUE_BY_PRODUCT_VARIANT = new MartDefinition("revenue_by_product_variant",
            List.of("variant_id"),
            List.of("variant_id", "variant_sku", "product_id", "product_name", "color", "size",
                    "units", "revenue", "cost", "gross_profit"),
            "WITH " + REVENUE_ORDERS + """
                    SELECT v.id AS variant_id, v.variant_sku, v.product_id, p.name AS product_name, v.color, v.size,
                           SUM(i.quantity) AS units,
                           CAST(SUM(i.quantity * i.unit_price) AS DECIMAL(18,2)) AS revenue,
                           CAST(SUM(i.quantity * v.manufacturing_price) AS DECIMAL(18,2)) AS cost,
                           CAST(SUM(i.quantity * i.unit_price) - SUM(i.quantity * v.manufacturing_price) AS DECIMAL(18,2)) AS gross_profit
                    FROM stg.order_items i
                    JOIN revenue_orders o ON o.id = i.order_id
                    JOIN stg.product_variants v ON v.id = i.variant_id
                    JOIN stg.products p ON p.id = v.product_id
                    GROUP BY v.id, v.variant_sku, v.product_id, p.name, v.color, v.size""",
            List.of());

    public static final MartDefinition CUSTOMERS_BY_AGE = new MartDefinition("customers_by_age",
            List.of("age_band"), List.of("age_band", "customers"), """
            SELECT CASE
                     WHEN age < 18 THEN '<18'
                     WHEN age <= 24 THEN '18-24'
                     WHEN age <= 34 THEN '25-34'
                     WHEN age <= 44 THEN '35-44'
                     WHEN age <= 54 THEN '45-54'
                     WHEN age <= 64 THEN '55-64'
                     WHEN age >= 65 THEN '65+'
                     ELSE 'unknown'
                   END AS age_band,
                   COUNT(*) AS customers
            FROM stg.customers GROUP BY 1""",
            List.of());

    public static final MartDefinition CUSTOMERS_BY_COUNTRY = new MartDefinition("customers_by_country",
            List.of("country"), List.of("country", "customers"),
            "SELECT country, COUNT(*) AS customers FROM stg.customers GROUP BY country",
            List.of());

    public static final MartDefinition KPIS = new MartDefinition("kpis",
            List.of("kpi_scope"),
            List.of("kpi_scope", "orders", "units", "revenue", "avg_order_value", "units_per_order",
                    "customers_with_orders", "repeat_customers", "repeat_purchase_rate"),
            "WITH " + REVENUE_ORDERS + ", " + STG_ORDER_TOTALS + """
                    , per_customer AS (SELECT customer_id, COUNT(*) AS n FROM revenue_orders GROUP BY customer_id),
                    totals AS (
                        SELECT COUNT(*) AS orders, COALESCE(SUM(t.units), 0) AS units, COALESCE(SUM(t.revenue), 0) AS revenue
                        FROM revenue_orders o LEFT JOIN order_totals t ON t.order_id = o.id),
                    customers AS (
                        SELECT COUNT(*) AS with_orders, COUNT(*) FILTER (WHERE n >= 2) AS repeat FROM per_customer)
                    SELECT 'all' AS kpi_scope, totals.orders, totals.units,
                           CAST(totals.revenue AS DECIMAL(18,2)) AS revenue,
                           totals.revenue AS avg_order_value__num, totals.orders AS avg_order_value__den,
                           totals.units AS units_per_order__num, totals.orders AS units_per_order__den,
                           customers.with_orders AS customers_with_orders, customers.repeat AS repeat_customers,
                           customers.repeat AS repeat_purchase_rate__num, customers.with_orders AS repeat_purchase_rate__den
                    FROM totals, customers
                    WHERE totals.orders > 0""",
            List.of("avg_order_value", "units_per_order", "repeat_purchase_rate"));

    /** top_skus is a view over the streamed variant mart; its batch form ranks the batch variant mart. */
    public static final MartDefinition TOP_SKUS = new MartDefinition("top_skus",
            List.of("rank"), List.of("rank", "variant_sku", "product_name", "units", "revenue"),
            "WITH variant_mart AS (" + REVENUE_BY_PRODUCT_VARIANT.batchSql()
                    + ") SELECT CAST(row_number() OVER (ORDER BY revenue DESC, variant_sku ASC) AS INTEGER) AS rank,"
                    + " variant_sku, product_name, units, revenue FROM variant_mart"
                    + " QUALIFY rank <= 10",
            List.of());

    public static final List<MartDefinition> ALL = List.of(SALES_DAILY, REVENUE_BY_PRODUCT, REVENUE_BY_CATEGORY,
            REVENUE_BY_PRODUCT_VARIANT, CUSTOMERS_BY_AGE, CUSTOMERS_BY_COUNTRY, KPIS, TOP_SKUS);

    /**
     * The view that serves {@code mart.top_skus}: ranks are a function of the whole variant mart,
     * so a view over it is exact at every instant, where a streamed top-10 would need retractions
     * of every rank on each change.
     */
    public static final String TOP_SKUS_VIEW = """
            CREATE OR REPLACE VIEW mart.top_skus AS
            SELECT CAST(row_number() OVER (ORDER BY revenue DESC, variant_sku ASC) AS INTEGER) AS rank,
                   variant_sku, product_name, units, revenue
            FROM mart.revenue_by_product_variant
            QUALIFY rank <= 10""";
}
