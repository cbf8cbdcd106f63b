package io.cdcmarts.processor.quality;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.cdcmarts.processor.quality.Cleaning.NONE;
import static io.cdcmarts.processor.quality.Cleaning.TRIM;
import static io.cdcmarts.processor.quality.Cleaning.TRIM_LOWER;
import static io.cdcmarts.processor.quality.Cleaning.TRIM_UPPER;

/**
 * The staging layer of the e-commerce tables as data (SPEC §5): for each table, the columns with
 * their type and cleaning, then the checks, read like the SPEC's table of checks. Every text
 * column is trimmed; email and category are lower-cased; sku, variant_sku and size upper-cased.
 */
public final class StagingRules {

    public static final String CUSTOMERS = "customers";
    public static final String PRODUCTS = "products";
    public static final String PRODUCT_VARIANTS = "product_variants";
    public static final String ORDERS = "orders";
    public static final String ORDER_ITEMS = "order_items";

    public static final TableRules CUSTOMER_RULES = new TableRules(CUSTOMERS,
            List.of(int64("id"), text("full_name", TRIM), text("email", TRIM_LOWER), text("country", TRIM),
                    int32("age"), timestamptz("created_at"), timestamptz("updated_at")),
            List.of(notNull("full_name"), notBlank("full_name"),
                    notNull("email"), pattern("email", "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"),
                    notNull("country"), notBlank("country"),
                    min("age", 0), max("age", 120)));

    public static final TableRules PRODUCT_RULES = new TableRules(PRODUCTS,
            List.of(int64("id"), text("name", TRIM), text("category", TRIM_LOWER), text("sku", TRIM_UPPER),
                    timestamptz("created_at"), timestamptz("updated_at")),
            List.of(notNull("name"), notBlank("name"),
                    acceptedValues("category", "t-shirts", "hoodies", "shoes", "accessories", "jackets"),
                    notNull("sku")));

    public static final TableRules PRODUCT_VARIANT_RULES = new TableRules(PRODUCT_VARIANTS,
            List.of(int64("id"), int64("product_id"), text("variant_sku", TRIM_UPPER), text("color", TRIM),
                    text("size", TRIM_UPPER), decimal("manufacturing_price", 10, 2), decimal("selling_price", 10, 2),
                    int32("stock_quantity"), bool("is_active"), timestamptz("created_at"), timestamptz("updated_at")),
            List.of(new Check.SizeMatchesCategory("size", "shoes", 35, 48, List.of("S", "M", "L", "XL")),
                    positive("manufacturing_price"), positive("selling_price"),
                    nonNegative("stock_quantity")));

    public static final TableRules ORDER_RULES = new TableRules(ORDERS,
            List.of(int64("id"), int64("customer_id"), timestamptz("order_date"), text("status", TRIM),
                    decimal("total_amount", 12, 2), timestamptz("created_at"), timestamptz("updated_at")),
            List.of(acceptedValues("status", "pending", "paid", "cancelled", "shipped"),
                    notNull("order_date")));

    public static final TableRules ORDER_ITEM_RULES = new TableRules(ORDER_ITEMS,
            List.of(int64("id"), int64("order_id"), int64("variant_id"), int32("quantity"),
                    decimal("unit_price", 10, 2),
                    new ColumnDef("total_price", ColumnType.DECIMAL, 12, 2, NONE, List.of("quantity", "unit_price")),
                    timestamptz("created_at")),
            List.of(positive("quantity"), positive("unit_price")));

    /** Every staged table, in dependency order. */
    public static final List<TableRules> ALL = List.of(
            CUSTOMER_RULES, PRODUCT_RULES, PRODUCT_VARIANT_RULES, ORDER_RULES, ORDER_ITEM_RULES);

    /** The built-in rules, what the processor runs without {@code --rules}. */
    public static final RuleSet DEFAULTS = new RuleSet(ALL, "built-in");

    private static final Map<String, TableRules> BY_TABLE =
            ALL.stream().collect(Collectors.toUnmodifiableMap(TableRules::table, Function.identity()));

    private StagingRules() {
    }

    public static TableRules of(String table) {
        TableRules rules = BY_TABLE.get(table);
        if (rules == null) {
            throw new IllegalArgumentException("no staging rules for table " + table);
        }
        return rules;
    }

    private static ColumnDef int64(String name) {
        return new ColumnDef(name, ColumnType.INT64, 0, 0, NONE, List.of());
    }

    private static ColumnDef int32(String name) {
        return new ColumnDef(name, ColumnType.INT32, 0, 0, NONE, List.of());
    }

    private static ColumnDef decimal(String name, int precision, int scale) {
        return new ColumnDef(name, ColumnType.DECIMAL, precision, scale, NONE, List.of());
    }

    private static ColumnDef text(String name, Cleaning cleaning) {
        return new ColumnDef(name, ColumnType.TEXT, 0, 0, cleaning, List.of());
    }

    private static ColumnDef timestamptz(String name) {
        return new ColumnDef(name, ColumnType.TIMESTAMPTZ, 0, 0, NONE, List.of());
    }

    private static ColumnDef bool(String name) {
        return new ColumnDef(name, ColumnType.BOOLEAN, 0, 0, NONE, List.of());
    }

    private static Check notNull(String column) {
        return new Check.NotNull(column);
    }

    private static Check notBlank(String column) {
        return new Check.NotBlank(column);
    }

    private static Check positive(String column) {
        return new Check.Positive(column);
    }

    private static Check nonNegative(String column) {
        return new Check.NonNegative(column);
    }

    private static Check acceptedValues(String column, String... values) {
        return new Check.AcceptedValues(column, Arrays.asList(values));
    }

    private static Check pattern(String column, String regex) {
        return new Check.Matches(column, Pattern.compile(regex));
    }

    private static Check min(String column, long min) {
        return new Check.Min(column, BigDecimal.valueOf(min));
    }

    private static Check max(String column, long max) {
        return new Check.Max(column, BigDecimal.valueOf(max));
    }
}
