package io.cdcmarts.processor.marts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.serde.FieldKeySerde;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mart of SPEC §6: its topic name, its key (a one-field JSON object named after the key column)
 * and its columns with their exact types. The first column is the key column, so a mart row is
 * complete on its own.
 *
 * <p>Types: counts int64; names text; money {@code bytes}/Decimal scale 2 precision 18; ratios
 * Decimal scale 4 precision 18 (NULL when the denominator is zero); the day of
 * {@code sales_daily} an {@code io.debezium.time.Date} (int32 days since 1970-01-01) in the row and
 * ISO text in the key.
 */
public final class Mart<K> {

    /** How a column is typed and encoded. */
    public enum Kind { DATE, INT64, TEXT, MONEY, RATIO }

    /** A column of a mart. */
    public record Column(String name, Kind kind) {
        ColumnSpec spec(boolean key) {
            return switch (kind) {
                case DATE -> new ColumnSpec(name, "int32", ColumnSpec.DATE, Map.of(), !key);
                case INT64 -> new ColumnSpec(name, "int64", null, Map.of(), !key);
                case TEXT -> new ColumnSpec(name, "string", null, Map.of(), !key);
                case MONEY -> decimal(name, Decimals.MONEY_SCALE);
                case RATIO -> decimal(name, Decimals.RATIO_SCALE);
            };
        }

        private static ColumnSpec decimal(String name, int scale) {
            return new ColumnSpec(name, "bytes", ColumnSpec.DECIMAL,
                    Map.of("scale", Integer.toString(scale), "connect.decimal.precision", Integer.toString(Decimals.PRECISION)), true);
        }
    }

    public static final Mart<LocalDate> SALES_DAILY = new Mart<>("sales_daily", FieldKeySerde.ofDate("day"),
            col("day", Kind.DATE), col("orders", Kind.INT64), col("units", Kind.INT64), col("revenue", Kind.MONEY),
            col("avg_order_value", Kind.RATIO));

    public static final Mart<Long> REVENUE_BY_PRODUCT = new Mart<>("revenue_by_product", FieldKeySerde.ofLong("product_id"),
            col("product_id", Kind.INT64), col("product_name", Kind.TEXT), col("category", Kind.TEXT),
            col("units", Kind.INT64), col("revenue", Kind.MONEY), col("cost", Kind.MONEY), col("gross_profit", Kind.MONEY));

    public static final Mart<String> REVENUE_BY_CATEGORY = new Mart<>("revenue_by_category", FieldKeySerde.ofString("category"),
            col("category", Kind.TEXT), col("products_sold", Kind.INT64), col("units", Kind.INT64),
            col("revenue", Kind.MONEY), col("cost", Kind.MONEY), col("gross_profit", Kind.MONEY));

    public static final Mart<Long> REVENUE_BY_PRODUCT_VARIANT = new Mart<>("revenue_by_product_variant",
            FieldKeySerde.ofLong("variant_id"),
            col("variant_id", Kind.INT64), col("variant_sku", Kind.TEXT), col("product_id", Kind.INT64),
            col("product_name", Kind.TEXT), col("color", Kind.TEXT), col("size", Kind.TEXT), col("units", Kind.INT64),
            col("revenue", Kind.MONEY), col("cost", Kind.MONEY), col("gross_profit", Kind.MONEY));

    public static final Mart<String> CUSTOMERS_BY_AGE = new Mart<>("customers_by_age", FieldKeySerde.ofString("age_band"),
            col("age_band", Kind.TEXT), col("customers", Kind.INT64));

    public static final Mart<String> CUSTOMERS_BY_COUNTRY = new Mart<>("customers_by_country", FieldKeySerde.ofString("country"),
            col("country", Kind.TEXT), col("customers", Kind.INT64));

    public static final Mart<String> KPIS = new Mart<>("kpis", FieldKeySerde.ofString("kpi_scope"),
            col("kpi_scope", Kind.TEXT), col("orders", Kind.INT64), col("units", Kind.INT64), col("revenue", Kind.MONEY),
            col("avg_order_value", Kind.RATIO), col("units_per_order", Kind.RATIO),
            col("customers_with_orders", Kind.INT64), col("repeat_customers", Kind.INT64),
            col("repeat_purchase_rate", Kind.RATIO));

    /** Every mart this processor maintains. ({@code top_skus} is a view over the variant mart.) */
    public static final List<Mart<?>> ALL = List.of(SALES_DAILY, REVENUE_BY_PRODUCT, REVENUE_BY_CATEGORY,
            REVENUE_BY_PRODUCT_VARIANT, CUSTOMERS_BY_AGE, CUSTOMERS_BY_COUNTRY, KPIS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String name;
    private final FieldKeySerde<K> keySerde;
    private final List<Column> columns;
    private final List<ColumnSpec> specs;

    private Mart(String name, FieldKeySerde<K> keySerde, Column... columns) {
        this.name = name;
        this.keySerde = keySerde;
        this.columns = List.of(columns);
        if (!columns[0].name().equals(keySerde.field())) {
            throw new IllegalArgumentException(name + ": the first column must be the key " + keySerde.field());
        }
        List<ColumnSpec> specs = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            specs.add(columns[i].spec(i == 0));
        }
        this.specs = List.copyOf(specs);
    }

    private static Column col(String name, Kind kind) {
        return new Column(name, kind);
    }

    public String name() {
        return name;
    }

    public FieldKeySerde<K> keySerde() {
        return keySerde;
    }

    public List<Column> columns() {
        return columns;
    }

    /**
     * The mart row of {@code key}, given the values of the other columns in column order: counts as
     * {@code Long}, names as {@code String}, money and ratios as {@code BigDecimal} (ratios already at
     * scale 4, or null).
     */
    public TypedRow row(K key, Object... values) {
        if (values.length != columns.size() - 1) {
            throw new IllegalArgumentException(name + " has " + (columns.size() - 1) + " value columns, got " + values.length);
        }
        ObjectNode payload = NODES.objectNode();
        put(payload, columns.get(0), key);
        for (int i = 0; i < values.length; i++) {
            put(payload, columns.get(i + 1), values[i]);
        }
        return new TypedRow(specs, payload);
    }

    private static void put(ObjectNode payload, Column column, Object value) {
        if (value == null) {
            payload.putNull(column.name());
            return;
        }
        switch (column.kind()) {
            case DATE -> payload.put(column.name(), (int) ((LocalDate) value).toEpochDay());
            case INT64 -> payload.put(column.name(), ((Number) value).longValue());
            case TEXT -> payload.put(column.name(), (String) value);
            case MONEY -> payload.put(column.name(), Decimals.money((BigDecimal) value));
            case RATIO -> payload.put(column.name(), (BigDecimal) value);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
