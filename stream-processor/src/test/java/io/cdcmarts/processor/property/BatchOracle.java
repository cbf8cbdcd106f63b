package io.cdcmarts.processor.property;

import io.cdcmarts.processor.testkit.Row;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A straightforward batch recomputation of SPEC §5 (staging, failing rows) and §6 (every mart)
 * over the model of the source tables, written from the SPEC and independently of the topology:
 * plain loops over plain maps, as a SQL batch job would compute it.
 *
 * <p>Values are compared as text: counts as integers, money at scale 2, ratios at scale 4.
 */
public final class BatchOracle {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> CATEGORIES = Set.of("t-shirts", "hoodies", "shoes", "accessories", "jackets");
    private static final Set<String> STATUSES = Set.of("pending", "paid", "cancelled", "shipped");
    private static final Set<String> LETTER_SIZES = Set.of("S", "M", "L", "XL");

    private final Map<String, Map<Long, Row>> raw;
    /** table → id → cleaned row, for rows that pass. */
    final Map<String, Map<Long, Map<String, Object>>> stg = new LinkedHashMap<>();
    /** table → id → failing check names (comma-separated, in rule order). */
    final Map<String, Map<Long, String>> failing = new LinkedHashMap<>();
    /** mart → key JSON → column → value as text. */
    final Map<String, Map<String, Map<String, String>>> marts = new LinkedHashMap<>();

    public BatchOracle(Map<String, Map<Long, Row>> raw) {
        this.raw = raw;
        for (String table : Workload.TABLES) {
            stg.put(table, new TreeMap<>());
            failing.put(table, new TreeMap<>());
            for (Row row : raw.get(table).values()) {
                stage(table, row);
            }
        }
        salesMarts();
        revenueMarts();
        customerMarts();
    }

    // ---- staging ----------------------------------------------------------------------------

    private static String trim(Object v) {
        return v == null ? null : v.toString().strip();
    }

    private void stage(String table, Row row) {
        Map<String, Object> c = new LinkedHashMap<>(row.values());
        List<String> failed = new ArrayList<>();
        switch (table) {
            case "customers" -> {
                c.put("full_name", trim(row.get("full_name")));
                c.put("email", row.get("email") == null ? null : trim(row.get("email")).toLowerCase(Locale.ROOT));
                c.put("country", trim(row.get("country")));
                Object age = row.get("age");
                boolean ageIsNumber = age == null || age instanceof Integer;
                if (!ageIsNumber) {
                    failed.add("valid_type");
                    c.put("age", null);
                }
                String name = (String) c.get("full_name");
                String email = (String) c.get("email");
                String country = (String) c.get("country");
                if (name == null) failed.add("not_null");
                if (name != null && name.isEmpty()) failed.add("not_blank");
                if (email == null) failed.add("not_null");
                if (email != null && !EMAIL.matcher(email).find()) failed.add("pattern");
                if (country == null) failed.add("not_null");
                if (country != null && country.isEmpty()) failed.add("not_blank");
                if (ageIsNumber && age != null && (Integer) age < 0) failed.add("min");
                if (ageIsNumber && age != null && (Integer) age > 120) failed.add("max");
            }
            case "products" -> {
                c.put("name", trim(row.get("name")));
                c.put("category", row.get("category") == null ? null : trim(row.get("category")).toLowerCase(Locale.ROOT));
                c.put("sku", row.get("sku") == null ? null : trim(row.get("sku")).toUpperCase(Locale.ROOT));
                String name = (String) c.get("name");
                if (name == null) failed.add("not_null");
                if (name != null && name.isEmpty()) failed.add("not_blank");
                if (c.get("category") != null && !CATEGORIES.contains((String) c.get("category"))) failed.add("accepted_values");
                if (c.get("sku") == null) failed.add("not_null");
            }
            case "product_variants" -> {
                Row product = raw.get("products").get((Long) row.get("product_id"));
                if (product == null) {
                    return; // waits for its product: neither staged nor failing
                }
                c.put("variant_sku", row.get("variant_sku") == null ? null : trim(row.get("variant_sku")).toUpperCase(Locale.ROOT));
                c.put("color", trim(row.get("color")));
                String size = row.get("size") == null ? null : trim(row.get("size")).toUpperCase(Locale.ROOT);
                c.put("size", size);
                String category = product.get("category") == null ? null
                        : trim(product.get("category")).toLowerCase(Locale.ROOT);
                boolean sizeOk;
                if (size == null) {
                    sizeOk = false;
                } else if ("shoes".equals(category)) {
                    sizeOk = size.matches("[0-9]+") && Integer.parseInt(size) >= 35 && Integer.parseInt(size) <= 48;
                } else {
                    sizeOk = LETTER_SIZES.contains(size);
                }
                if (!sizeOk) failed.add("size_matches_category");
                if (((BigDecimal) row.get("manufacturing_price")).signum() <= 0) failed.add("positive");
                if (((BigDecimal) row.get("selling_price")).signum() <= 0) failed.add("positive");
                if ((Integer) row.get("stock_quantity") < 0) failed.add("non_negative");
            }
            case "orders" -> {
                c.put("status", trim(row.get("status")));
                if (c.get("status") != null && !STATUSES.contains((String) c.get("status"))) failed.add("accepted_values");
                if (row.get("order_date") == null) failed.add("not_null");
            }
            case "order_items" -> {
                int quantity = (Integer) row.get("quantity");
                BigDecimal unitPrice = (BigDecimal) row.get("unit_price");
                c.put("total_price", unitPrice.multiply(BigDecimal.valueOf(quantity)));
                if (quantity <= 0) failed.add("positive");
                if (unitPrice.signum() <= 0) failed.add("positive");
            }
            default -> throw new IllegalArgumentException(table);
        }
        if (failed.isEmpty()) {
            stg.get(table).put(row.id(), c);
        } else {
            failing.get(table).put(row.id(), String.join(",", new LinkedHashSet<>(failed)));
        }
    }

    // ---- marts ------------------------------------------------------------------------------

    private static String money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String ratio(BigDecimal numerator, BigDecimal denominator) {
        return denominator.signum() == 0 ? null : numerator.divide(denominator, 4, RoundingMode.HALF_UP).toPlainString();
    }

    private static String ratio(long numerator, long denominator) {
        return ratio(BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator));
    }

    private Map<String, Map<String, String>> mart(String name) {
        return marts.computeIfAbsent(name, k -> new TreeMap<>());
    }

    private static String key(String field, Object value) {
        String v = value instanceof String s ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : value.toString();
        return "{\"" + field + "\":" + v + "}";
    }

    private static Map<String, String> row(Object... namesAndValues) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            row.put((String) namesAndValues[i], v == null ? null : v.toString());
        }
        return row;
    }

    /** Revenue orders: staged orders whose (cleaned) status is paid or shipped. */
    private Map<Long, Map<String, Object>> revenueOrders() {
        Map<Long, Map<String, Object>> out = new HashMap<>();
        stg.get("orders").forEach((id, o) -> {
            if ("paid".equals(o.get("status")) || "shipped".equals(o.get("status"))) {
                out.put(id, o);
            }
        });
        return out;
    }

    private static LocalDate utcDay(Object orderDate) {
        try {
            return OffsetDateTime.parse((String) orderDate).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void salesMarts() {
        Map<Long, Map<String, Object>> orders = revenueOrders();
        Map<Long, long[]> unitsByOrder = new HashMap<>();
        Map<Long, BigDecimal> revenueByOrder = new HashMap<>();
        for (Map<String, Object> item : stg.get("order_items").values()) {
            long orderId = (Long) item.get("order_id");
            long q = (Integer) item.get("quantity");
            unitsByOrder.computeIfAbsent(orderId, k -> new long[1])[0] += q;
            revenueByOrder.merge(orderId, ((BigDecimal) item.get("unit_price")).multiply(BigDecimal.valueOf(q)), BigDecimal::add);
        }
        Map<LocalDate, long[]> days = new TreeMap<>(); // orders, units
        Map<LocalDate, BigDecimal> dayRevenue = new HashMap<>();
        Map<Long, Integer> ordersByCustomer = new HashMap<>();
        long orderCount = 0;
        long units = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (Map.Entry<Long, Map<String, Object>> e : orders.entrySet()) {
            long u = unitsByOrder.getOrDefault(e.getKey(), new long[1])[0];
            BigDecimal r = revenueByOrder.getOrDefault(e.getKey(), BigDecimal.ZERO);
            LocalDate day = utcDay(e.getValue().get("order_date"));
            long[] d = days.computeIfAbsent(day, k -> new long[2]);
            d[0]++;
            d[1] += u;
            dayRevenue.merge(day, r, BigDecimal::add);
            orderCount++;
            units += u;
            revenue = revenue.add(r);
            Object customer = e.getValue().get("customer_id");
            if (customer != null) {
                ordersByCustomer.merge((Long) customer, 1, Integer::sum);
            }
        }
        days.forEach((day, d) -> mart("sales_daily").put(key("day", day.toString()), row(
                "day", day.toEpochDay(), "orders", d[0], "units", d[1], "revenue", money(dayRevenue.get(day)),
                "avg_order_value", ratio(dayRevenue.get(day), BigDecimal.valueOf(d[0])))));
        if (orderCount > 0) {
            long customers = ordersByCustomer.size();
            long repeat = ordersByCustomer.values().stream().filter(n -> n >= 2).count();
            mart("kpis").put(key("kpi_scope", "all"), row("kpi_scope", "all", "orders", orderCount, "units", units,
                    "revenue", money(revenue), "avg_order_value", ratio(revenue, BigDecimal.valueOf(orderCount)),
                    "units_per_order", ratio(units, orderCount), "customers_with_orders", customers,
                    "repeat_customers", repeat, "repeat_purchase_rate", ratio(repeat, customers)));
        }
    }

    /** For a failing test: each raw variant of {@code productId} with what its revenue orders' raw items add. */
    public String productBreakdown(long productId) {
        Map<Long, Map<String, Object>> orders = revenueOrders();
        StringBuilder out = new StringBuilder("truth for product ").append(productId).append(": ").append(raw.get("products").get(productId));
        raw.get("product_variants").values().stream().filter(v -> Long.valueOf(productId).equals(v.get("product_id"))).forEach(v -> {
            long items = 0;
            long units = 0;
            BigDecimal revenue = BigDecimal.ZERO;
            for (Row item : raw.get("order_items").values()) {
                if (v.id() == (Long) item.get("variant_id") && orders.containsKey((Long) item.get("order_id"))) {
                    long q = (Integer) item.get("quantity");
                    items++;
                    units += q;
                    revenue = revenue.add(((BigDecimal) item.get("unit_price")).multiply(BigDecimal.valueOf(q)));
                }
            }
            out.append(System.lineSeparator()).append("  variant ").append(v.id()).append(": items ").append(items)
                    .append(", units ").append(units).append(", revenue ").append(revenue)
                    .append(", manufacturing_price ").append(v.get("manufacturing_price"));
        });
        return out.toString();
    }

    private void revenueMarts() {
        Map<Long, Map<String, Object>> orders = revenueOrders();
        // revenue_by_product and revenue_by_category: raw items, raw variants, raw products
        Map<Long, long[]> productUnits = new TreeMap<>();
        Map<Long, BigDecimal[]> productMoney = new HashMap<>(); // revenue, cost
        for (Row item : raw.get("order_items").values()) {
            Row variant = raw.get("product_variants").get((Long) item.get("variant_id"));
            if (!orders.containsKey((Long) item.get("order_id")) || variant == null) {
                continue;
            }
            Row product = raw.get("products").get((Long) variant.get("product_id"));
            if (product == null) {
                continue;
            }
            long q = (Integer) item.get("quantity");
            productUnits.computeIfAbsent(product.id(), k -> new long[1])[0] += q;
            BigDecimal[] m = productMoney.computeIfAbsent(product.id(), k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
            m[0] = m[0].add(((BigDecimal) item.get("unit_price")).multiply(BigDecimal.valueOf(q)));
            m[1] = m[1].add(((BigDecimal) variant.get("manufacturing_price")).multiply(BigDecimal.valueOf(q)));
        }
        Map<String, Set<Long>> categoryProducts = new TreeMap<>();
        Map<String, long[]> categoryUnits = new HashMap<>();
        Map<String, BigDecimal[]> categoryMoney = new HashMap<>();
        productUnits.forEach((productId, u) -> {
            Row product = raw.get("products").get(productId);
            BigDecimal[] m = productMoney.get(productId);
            mart("revenue_by_product").put(key("product_id", productId), row("product_id", productId,
                    "product_name", product.get("name"), "category", product.get("category"), "units", u[0],
                    "revenue", money(m[0]), "cost", money(m[1]), "gross_profit", money(m[0].subtract(m[1]))));
            String category = (String) product.get("category");
            if (category != null) {
                categoryProducts.computeIfAbsent(category, k -> new HashSet<>()).add(productId);
                categoryUnits.computeIfAbsent(category, k -> new long[1])[0] += u[0];
                BigDecimal[] cm = categoryMoney.computeIfAbsent(category, k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                cm[0] = cm[0].add(m[0]);
                cm[1] = cm[1].add(m[1]);
            }
        });
        categoryProducts.forEach((category, products) -> {
            BigDecimal[] m = categoryMoney.get(category);
            mart("revenue_by_category").put(key("category", category), row("category", category,
                    "products_sold", products.size(), "units", categoryUnits.get(category)[0], "revenue", money(m[0]),
                    "cost", money(m[1]), "gross_profit", money(m[0].subtract(m[1]))));
        });

        // revenue_by_product_variant: staging items, variants, products
        Map<Long, long[]> variantUnits = new TreeMap<>();
        Map<Long, BigDecimal> variantRevenue = new HashMap<>();
        for (Map<String, Object> item : stg.get("order_items").values()) {
            Map<String, Object> variant = stg.get("product_variants").get((Long) item.get("variant_id"));
            if (!orders.containsKey((Long) item.get("order_id")) || variant == null
                    || !stg.get("products").containsKey((Long) variant.get("product_id"))) {
                continue;
            }
            long q = (Integer) item.get("quantity");
            long variantId = (Long) variant.get("id");
            variantUnits.computeIfAbsent(variantId, k -> new long[1])[0] += q;
            variantRevenue.merge(variantId, ((BigDecimal) item.get("unit_price")).multiply(BigDecimal.valueOf(q)), BigDecimal::add);
        }
        variantUnits.forEach((variantId, u) -> {
            Map<String, Object> variant = stg.get("product_variants").get(variantId);
            Map<String, Object> product = stg.get("products").get((Long) variant.get("product_id"));
            BigDecimal revenue = variantRevenue.get(variantId);
            BigDecimal cost = ((BigDecimal) variant.get("manufacturing_price")).multiply(BigDecimal.valueOf(u[0]));
            mart("revenue_by_product_variant").put(key("variant_id", variantId), row("variant_id", variantId,
                    "variant_sku", variant.get("variant_sku"), "product_id", variant.get("product_id"),
                    "product_name", product.get("name"), "color", variant.get("color"), "size", variant.get("size"),
                    "units", u[0], "revenue", money(revenue), "cost", money(cost),
                    "gross_profit", money(revenue.subtract(cost))));
        });
    }

    private void customerMarts() {
        Map<String, Long> byAge = new TreeMap<>();
        Map<String, Long> byCountry = new TreeMap<>();
        for (Map<String, Object> c : stg.get("customers").values()) {
            Integer age = (Integer) c.get("age");
            if (age != null) {
                String band = age < 18 ? "<18" : age < 25 ? "18-24" : age < 35 ? "25-34" : age < 45 ? "35-44"
                        : age < 55 ? "45-54" : age < 65 ? "55-64" : "65+";
                byAge.merge(band, 1L, Long::sum);
            }
            byCountry.merge((String) c.get("country"), 1L, Long::sum);
        }
        byAge.forEach((band, n) -> mart("customers_by_age").put(key("age_band", band), row("age_band", band, "customers", n)));
        byCountry.forEach((country, n) -> mart("customers_by_country").put(key("country", country),
                row("country", country, "customers", n)));
    }
}
