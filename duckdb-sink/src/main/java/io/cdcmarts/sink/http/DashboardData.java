package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The document of {@code GET /api/dashboard}, which the page polls: the status (as
 * {@code /api/status}), rows per second, the marts, and the quality layer. A table the sink has not
 * created yet (no row of its topic so far) gives null or an empty list.
 */
final class DashboardData {

    /** How many days of {@code mart.sales_daily} the chart shows. */
    static final int DAYS = 30;
    /** How many of the latest dead letters and open failures are listed. */
    static final int LATEST = 10;

    private final SinkStatusReport status;
    private final Throughput throughput;

    DashboardData(SinkStatusReport status, Throughput throughput) {
        this.status = status;
        this.throughput = throughput;
    }

    ObjectNode toJson(Connection reader) throws SQLException {
        ObjectNode out = status.toJson(reader);
        ObjectNode rate = out.putObject("rowsPerSecond");
        throughput.rowsPerSecond().forEach(rate::put);
        out.put("rowsPerSecondTotal", throughput.rowsPerSecond().values().stream().mapToDouble(Double::doubleValue).sum());

        Set<String> tables = Rows.tablesAndViews(reader);
        if (tables.contains("mart.kpis")) {
            var kpis = Rows.query(reader, "SELECT * EXCLUDE (kpi_scope) FROM mart.kpis WHERE kpi_scope = 'all'");
            out.set("kpis", kpis.isEmpty() ? null : kpis.get(0));
        } else {
            out.putNull("kpis");
        }
        section(reader, out, tables, "salesDaily", "mart.sales_daily",
                "SELECT * FROM (SELECT day, orders, units, revenue, avg_order_value FROM mart.sales_daily "
                        + "ORDER BY day DESC LIMIT " + DAYS + ") ORDER BY day");
        section(reader, out, tables, "revenueByCategory", "mart.revenue_by_category",
                "SELECT category, products_sold, units, revenue, gross_profit FROM mart.revenue_by_category "
                        + "ORDER BY revenue DESC, category");
        section(reader, out, tables, "topSkus", "mart.top_skus",
                "SELECT rank, variant_sku, product_name, units, revenue FROM mart.top_skus ORDER BY rank");
        section(reader, out, tables, "customersByCountry", "mart.customers_by_country",
                "SELECT country, customers FROM mart.customers_by_country ORDER BY customers DESC, country LIMIT 8");
        section(reader, out, tables, "deadLettersByCheck", "quality.dead_letters",
                "SELECT \"table\", \"check\", count(*) AS dead_letters FROM "
                        + "(SELECT \"table\", unnest(checks) AS \"check\" FROM quality.dead_letters) "
                        + "GROUP BY ALL ORDER BY dead_letters DESC, \"table\", \"check\"");
        section(reader, out, tables, "latestDeadLetters", "quality.dead_letters",
                "SELECT detected_at, \"table\", \"key\"::VARCHAR AS \"key\", array_to_string(checks, ', ') AS checks "
                        + "FROM quality.dead_letters ORDER BY detected_at DESC NULLS LAST, source_offset DESC LIMIT " + LATEST);
        section(reader, out, tables, "latestOpenFailures", "quality.open_failures",
                "SELECT since, \"table\", \"key\"::VARCHAR AS \"key\", checks FROM quality.open_failures "
                        + "ORDER BY since DESC NULLS LAST LIMIT " + LATEST);
        return out;
    }

    private static void section(Connection reader, ObjectNode out, Set<String> tables, String field, String table,
                                String sql) throws SQLException {
        out.set(field, tables.contains(table) ? Rows.query(reader, sql) : out.arrayNode());
    }
}
