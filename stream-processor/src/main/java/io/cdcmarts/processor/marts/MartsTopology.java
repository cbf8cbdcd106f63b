package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.marts.RevenueState.CategorySales;
import io.cdcmarts.processor.marts.RevenueState.ItemLine;
import io.cdcmarts.processor.marts.RevenueState.ProductLabel;
import io.cdcmarts.processor.marts.RevenueState.ProductSales;
import io.cdcmarts.processor.marts.RevenueState.SalesTotals;
import io.cdcmarts.processor.marts.RevenueState.VariantInfo;
import io.cdcmarts.processor.marts.RevenueState.VariantSales;
import io.cdcmarts.processor.marts.RevenueState.VariantTotals;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.marts.SalesState.CustomerOrders;
import io.cdcmarts.processor.marts.SalesState.CustomerShare;
import io.cdcmarts.processor.marts.SalesState.DailySales;
import io.cdcmarts.processor.marts.SalesState.ItemAmount;
import io.cdcmarts.processor.marts.SalesState.Kpis;
import io.cdcmarts.processor.marts.SalesState.OrderFact;
import io.cdcmarts.processor.marts.SalesState.OrderTotals;
import io.cdcmarts.processor.marts.SalesState.RevenueOrder;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.quality.Validated;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.raw.Rows;
import io.cdcmarts.processor.serde.IdKeySerde;
import io.cdcmarts.processor.serde.JsonSerde;
import io.cdcmarts.processor.topology.ProcessorTopics;
import io.cdcmarts.processor.topology.Topic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;
import org.apache.kafka.streams.state.KeyValueStore;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Set;
import java.util.function.Function;

/**
 * The mart part of the topology (SPEC §6), maintained incrementally: table joins and
 * {@code groupBy().aggregate(adder, subtractor)} with exact {@link BigDecimal} state, so an update
 * or a delete at the source moves each mart by the difference. Every aggregate counts its
 * contributors and returns null when the last one goes, which deletes the mart row (tombstone).
 *
 * <p>Every table-table join whose result feeds a subtracting aggregate is materialized: an
 * unmaterialized join computes its old value through the other side's value getter, which can see
 * an update still in that side's record cache and not yet forwarded, so the aggregate would subtract
 * a value it never added. A materialized (cached) result forwards as old value what it forwarded
 * last. (The TopologyTestDriver flushes caches after every record and cannot show this;
 * {@code PartitionedPipelineIT} on a real broker does.)
 *
 * <p>A <em>revenue order</em> is judged on the staging order for every mart: an order whose cleaned
 * status is {@code paid} or {@code shipped} and that passes its checks.
 */
public final class MartsTopology {

    /** The statuses of a revenue order. */
    public static final Set<String> REVENUE_STATUSES = Set.of("paid", "shipped");
    /** The single key of the kpis mart. */
    public static final String KPI_SCOPE = "all";
    /** The group of revenue orders without a customer: they count in the totals, not as a customer. */
    static final long NO_CUSTOMER = Long.MIN_VALUE;

    private static final Serde<Long> ID = IdKeySerde.INSTANCE;
    private static final Serde<RevenueOrder> REVENUE_ORDER = JsonSerde.of(RevenueOrder.class);
    private static final Serde<VariantInfo> VARIANT_INFO = JsonSerde.of(VariantInfo.class);
    private static final Serde<ProductLabel> PRODUCT_LABEL = JsonSerde.of(ProductLabel.class);
    private static final Serde<ItemAmount> ITEM_AMOUNT = JsonSerde.of(ItemAmount.class);
    private static final Serde<OrderTotals> ORDER_TOTALS = JsonSerde.of(OrderTotals.class);
    private static final Serde<OrderFact> ORDER_FACT = JsonSerde.of(OrderFact.class);
    private static final Serde<DailySales> DAILY_SALES = JsonSerde.of(DailySales.class);
    private static final Serde<CustomerOrders> CUSTOMER_ORDERS = JsonSerde.of(CustomerOrders.class);
    private static final Serde<CustomerShare> CUSTOMER_SHARE = JsonSerde.of(CustomerShare.class);
    private static final Serde<Kpis> KPIS = JsonSerde.of(Kpis.class);
    private static final Serde<ItemLine> ITEM_LINE = JsonSerde.of(ItemLine.class);
    private static final Serde<VariantTotals> VARIANT_TOTALS = JsonSerde.of(VariantTotals.class);
    private static final Serde<SalesTotals> SALES_TOTALS = JsonSerde.of(SalesTotals.class);
    private static final Serde<CategorySales> CATEGORY_SALES = JsonSerde.of(CategorySales.class);
    private static final Serde<VariantSales> VARIANT_SALES = JsonSerde.of(VariantSales.class);
    private static final Serde<ProductSales> PRODUCT_SALES = JsonSerde.of(ProductSales.class);

    private final ProcessorTopics topics;

    public MartsTopology(ProcessorTopics topics) {
        this.topics = topics;
    }

    /**
     * The revenue orders (staging orders with status paid or shipped) as the marts read them, in
     * their own small store: the item→order joins look them up for every item change.
     */
    public KTable<Long, RevenueOrder> revenueOrders(KTable<Long, Validated> orders) {
        return orders.filter((id, order) -> isRevenueOrder(order), Named.as("stg-revenue-orders"))
                .mapValues(order -> RevenueOrder.of(order.cleaned()), Named.as("revenue-orders"),
                        store("revenue-orders", ID, REVENUE_ORDER));
    }

    /** Whether a staging order is a revenue order. */
    public static boolean isRevenueOrder(Validated order) {
        String status = Rows.text(order.cleaned(), "status");
        return status != null && REVENUE_STATUSES.contains(status); // Set.of(...).contains(null) throws
    }

    /** The age band of {@code customers_by_age}, or null for an unknown age (not counted). */
    public static String ageBand(Long age) {
        if (age == null) {
            return null;
        }
        if (age < 18) {
            return "<18";
        }
        if (age <= 24) {
            return "18-24";
        }
        if (age <= 34) {
            return "25-34";
        }
        if (age <= 44) {
            return "35-44";
        }
        if (age <= 54) {
            return "45-54";
        }
        return age <= 64 ? "55-64" : "65+";
    }

    /** {@code customers_by_age} and {@code customers_by_country}, from staging customers. */
    public void customers(KTable<Long, Validated> customers) {
        countBy(customers, Mart.CUSTOMERS_BY_AGE, "customers-by-age",
                c -> ageBand(Rows.longOrNull(c.cleaned(), "age")));
        countBy(customers, Mart.CUSTOMERS_BY_COUNTRY, "customers-by-country",
                c -> Rows.text(c.cleaned(), "country"));
    }

    private void countBy(KTable<Long, Validated> rows, Mart<String> mart, String name, Function<Validated, String> keyOf) {
        KTable<String, Long> counts = rows
                .groupBy((id, row) -> KeyValue.pair(keyOf.apply(row), 1L),
                        Grouped.with(name, mart.keySerde(), Serdes.Long()))
                .aggregate(() -> 0L, (key, one, n) -> n + 1, (key, one, n) -> n == 1 ? null : n - 1,
                        Named.as(name + "-aggregate"), store(name, mart.keySerde(), Serdes.Long()));
        publish(counts, mart, name, (key, n) -> mart.row(key, n));
    }

    /**
     * {@code sales_daily} and {@code kpis}: staging items summed per order, joined to the staging
     * revenue orders (an order without staged items counts with zero units and revenue), then
     * grouped by day, and by customer and then into the one kpis row.
     */
    public void sales(KTable<Long, RevenueOrder> revenueOrders, KTable<Long, Validated> items) {
        KTable<Long, OrderTotals> totals = items
                .groupBy((id, item) -> KeyValue.pair(Rows.longOrNull(item.cleaned(), "order_id"), ItemAmount.of(item.cleaned())),
                        Grouped.with("stg-order-items-by-order", ID, ITEM_AMOUNT))
                .aggregate(OrderTotals::empty, (order, item, t) -> t.plus(item), (order, item, t) -> t.minus(item),
                        Named.as("stg-order-item-totals-aggregate"), store("stg-order-item-totals", ID, ORDER_TOTALS));
        KTable<Long, OrderFact> facts = revenueOrders.leftJoin(totals,
                OrderFact::of, Named.as("revenue-orders-join-item-totals"), store("revenue-order-facts", ID, ORDER_FACT));

        Mart<LocalDate> daily = Mart.SALES_DAILY;
        KTable<LocalDate, DailySales> days = facts
                .groupBy((id, f) -> KeyValue.pair(f.day(), f), Grouped.with("revenue-orders-by-day", daily.keySerde(), ORDER_FACT))
                .aggregate(DailySales::empty, (day, f, s) -> s.plus(f), (day, f, s) -> s.minus(f),
                        Named.as("sales-daily-aggregate"), store("sales-daily", daily.keySerde(), DAILY_SALES));
        publish(days, daily, "sales-daily", (day, s) -> daily.row(day, s.orders(), s.units(), s.revenue(),
                Decimals.ratio(s.revenue(), s.orders())));

        KTable<Long, CustomerOrders> customers = facts
                .groupBy((id, f) -> KeyValue.pair(f.customerId() == null ? NO_CUSTOMER : f.customerId(), f),
                        Grouped.with("revenue-orders-by-customer", Serdes.Long(), ORDER_FACT))
                .aggregate(CustomerOrders::empty, (c, f, o) -> o.plus(f), (c, f, o) -> o.minus(f),
                        Named.as("customer-revenue-orders-aggregate"), store("customer-revenue-orders", Serdes.Long(), CUSTOMER_ORDERS));
        Mart<String> kpis = Mart.KPIS;
        KTable<String, Kpis> all = customers
                .groupBy((c, o) -> KeyValue.pair(KPI_SCOPE, new CustomerShare(c != NO_CUSTOMER, o.orders(), o.units(), o.revenue())),
                        Grouped.with("customer-revenue-orders-to-kpis", kpis.keySerde(), CUSTOMER_SHARE))
                .aggregate(Kpis::empty, (scope, s, k) -> k.plus(s), (scope, s, k) -> k.minus(s),
                        Named.as("kpis-aggregate"), store("kpis", kpis.keySerde(), KPIS));
        publish(all, kpis, "kpis", (scope, k) -> kpis.row(scope, k.orders(), k.units(), k.revenue(),
                Decimals.ratio(k.revenue(), k.orders()), Decimals.ratio(k.units(), k.orders()),
                k.customersWithOrders(), k.repeatCustomers(), Decimals.ratio(k.repeatCustomers(), k.customersWithOrders())));
    }

    /**
     * {@code revenue_by_product}, {@code revenue_by_category} and {@code revenue_by_product_variant}.
     * {@code items} are all raw items, validated (staged or not). They join the staging revenue orders
     * (foreign key order_id), are summed per variant, and the sums join the variant with its product
     * (primary key; the variant→product foreign-key join is upstream). The variant mart keeps the staged part; the product mart sums variants per
     * product and joins the product's raw name and category; the category mart sums products.
     */
    public void revenue(KTable<Long, RevenueOrder> revenueOrders, KTable<Long, Validated> items,
                        KTable<Long, VariantWithProduct> variants, KTable<Long, RawRow> rawProducts,
                        TableRules variantRules, TableRules productRules) {
        // every raw item (checked or not: the product marts read the raw layer), with whether it is staged
        KTable<Long, ItemLine> lines = items.mapValues(ItemLine::of, Named.as("order-item-lines"),
                Materialized.with(ID, ITEM_LINE));
        // A left join whose joiner drops lines without a revenue order, not an inner join: when an
        // item changes (same order_id) while its order stops being a revenue order, the inner
        // join's retraction answers the item's old subscription (stale, so dropped) and its new
        // subscription gets no answer at all (an inner join answers only when the order exists),
        // so the line would stay counted for good. A left join answers every subscription.
        KTable<Long, ItemLine> revenueLines = lines.leftJoin(revenueOrders, ItemLine::orderId,
                (line, revenue) -> revenue == null ? null : line,
                TableJoined.as("order-item-lines-join-revenue-orders"), store("revenue-order-item-lines", ID, ITEM_LINE));
        KTable<Long, VariantTotals> variantTotals = revenueLines
                .groupBy((id, line) -> KeyValue.pair(line.variantId(), line),
                        Grouped.with("revenue-order-item-lines-by-variant", ID, ITEM_LINE))
                .aggregate(VariantTotals::empty, (v, line, t) -> t.plus(line), (v, line, t) -> t.minus(line),
                        Named.as("variant-revenue-totals-aggregate"), store("variant-revenue-totals", ID, VARIANT_TOTALS));
        // variant info and product labels are small and looked up on every total's change: own stores
        KTable<Long, VariantSales> variantSales = variantTotals.join(
                variants.mapValues(vp -> VariantInfo.of(vp, variantRules, productRules), Named.as("variant-info"), store("variant-info", ID, VARIANT_INFO)),
                VariantSales::new, Named.as("variant-totals-join-variant-info"), store("variant-sales", ID, VARIANT_SALES));

        Mart<Long> byVariant = Mart.REVENUE_BY_PRODUCT_VARIANT;
        publish(variantSales.filter((v, s) -> s.countsInVariantMart(), Named.as("revenue-by-product-variant-filter")),
                byVariant, "revenue-by-product-variant", (v, s) -> byVariant.row(v, s.info().variantSku(),
                        s.info().productId(), s.info().productName(), s.info().color(), s.info().size(),
                        s.totals().stagedUnits(), s.totals().stagedRevenue(), s.stagedCost(),
                        s.totals().stagedRevenue().subtract(s.stagedCost())));

        KTable<Long, SalesTotals> productTotals = variantSales
                .groupBy((v, s) -> KeyValue.pair(s.info().productId(), s.productContribution()),
                        Grouped.with("variant-sales-by-product", ID, SALES_TOTALS))
                .aggregate(SalesTotals::empty, (p, c, t) -> t.plus(c), (p, c, t) -> t.minus(c),
                        Named.as("product-sales-totals-aggregate"), store("product-sales-totals", ID, SALES_TOTALS));
        KTable<Long, ProductSales> productSales = productTotals.join(
                rawProducts.mapValues(ProductLabel::of, Named.as("product-labels"), store("product-labels", ID, PRODUCT_LABEL)),
                ProductSales::new, Named.as("product-totals-join-product-labels"), store("product-sales", ID, PRODUCT_SALES));
        Mart<Long> byProduct = Mart.REVENUE_BY_PRODUCT;
        publish(productSales, byProduct, "revenue-by-product", (p, s) -> byProduct.row(p, s.label().name(),
                s.label().category(), s.totals().units(), s.totals().revenue(), s.totals().cost(),
                s.totals().revenue().subtract(s.totals().cost())));

        Mart<String> byCategory = Mart.REVENUE_BY_CATEGORY;
        KTable<String, CategorySales> categories = productSales
                .groupBy((p, s) -> KeyValue.pair(s.label().category(), s.totals()),
                        Grouped.with("product-sales-by-category", byCategory.keySerde(), SALES_TOTALS))
                .aggregate(CategorySales::empty, (c, t, s) -> s.plus(t), (c, t, s) -> s.minus(t),
                        Named.as("category-sales-aggregate"), store("category-sales", byCategory.keySerde(), CATEGORY_SALES));
        publish(categories, byCategory, "revenue-by-category", (c, s) -> byCategory.row(c, s.products(), s.units(),
                s.revenue(), s.cost(), s.revenue().subtract(s.cost())));
    }

    /** Writes a mart table's changes to its topic: the row, or a tombstone when the row is gone. */
    private <K, V> void publish(KTable<K, V> table, Mart<K> mart, String name, ValueMapperWithKey<K, V, TypedRow> row) {
        Topic<K, TypedRow> topic = topics.mart(mart);
        table.toStream(Named.as(name + "-changes"))
                .mapValues((key, value) -> value == null ? null : row.apply(key, value), Named.as(name + "-row"))
                .to(topic.name(), topic.produced(name + "-sink"));
    }

    private static <K, V> Materialized<K, V, KeyValueStore<Bytes, byte[]>> store(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return Materialized.<K, V, KeyValueStore<Bytes, byte[]>>as(name).withKeySerde(keySerde).withValueSerde(valueSerde);
    }
}
