package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.CommitIntervals;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.ProductLabel;
import io.cdcmarts.processor.marts.RevenueState.VariantInfo;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.quality.Validated;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.raw.Rows;
import io.cdcmarts.processor.serde.IdKeySerde;
import io.cdcmarts.processor.topology.ProcessorTopics;
import io.cdcmarts.processor.topology.Topic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.LocalDate;
import java.util.Set;
import java.util.function.Function;

/**
 * The mart part of the topology (SPEC §6), maintained incrementally and exactly: every mart is a
 * sum of signed differences that {@link Ledger}s send when what a source row contributes changes,
 * each ledger computing the retraction from its own store. Customer marts count staging customers
 * with a {@code groupBy().aggregate()} straight off the uncached raw table (its old values are the
 * store's previous values, exact).
 *
 * <p>A <em>revenue order</em> is judged on the staging order for every mart: an order whose cleaned
 * status is {@code paid} or {@code shipped} and that passes its checks.
 */
public final class MartsTopology {

    /** The statuses of a revenue order. */
    public static final Set<String> REVENUE_STATUSES = Set.of("paid", "shipped");
    /** The single key of the kpis mart. */
    public static final String KPI_SCOPE = "all";

    private static final Serde<Long> ID = IdKeySerde.INSTANCE;

    private final ProcessorTopics topics;
    private final StoreType storeType;
    private final CommitIntervals commits;
    private final MartSerdes serdes = new MartSerdes();

    /**
     * @param commits the short one is how often each task forwards the differences it has summed
     *                per target (a forward then waits at most one commit while the records are fresh)
     */
    public MartsTopology(ProcessorTopics topics, StoreType storeType, CommitIntervals commits) {
        this.topics = topics;
        this.storeType = storeType;
        this.commits = commits;
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
                        Grouped.with(name, serdes.textKey(), Serdes.Long()))
                .aggregate(() -> 0L, (key, one, n) -> n + 1, (key, one, n) -> n == 1 ? null : n - 1,
                        Named.as(name + "-aggregate"), store(name, serdes.textKey(), Serdes.Long()));
        publish(counts, mart, name, (key, n) -> mart.row(key, n));
    }

    /**
     * {@code sales_daily}, {@code kpis}, {@code revenue_by_product_variant}, {@code revenue_by_product}
     * and {@code revenue_by_category}, as a chain of {@link Ledger}s joined by signed differences:
     * <pre>
     * items ─ ItemRouter ─(by order_id)─┐
     * stg orders ───────────────────────┴─ OrderLedger ─┬─ Δ per variant ─ Σ ─┐
     *                                                   │  variant info ──────┴─ VariantLedger ─► variant mart
     *                                                   │                                     └─ Δ per product ─ Σ ─┐
     *                                                   │                        raw product label ─────────────────┴─ ProductLedger ─► product mart
     *                                                   │                                                                          └─ Δ per category ─ Σ ─► category mart
     *                                                   ├─ Δ per day ─ Σ ─► sales_daily ; day total ─ KpiFeed ─┐
     *                                                   └─ Δ per customer ─ KpiFeed (Σ in its store) ──────────┴─ Δ ─ Σ ─► kpis
     * </pre>
     * Every Σ is a sum of differences and every ledger retracts from its own store, so no cache,
     * lookup or interleaving of the inputs can change a result (see {@link Ledger}).
     *
     * @param orders   the staging orders (those that pass their checks)
     * @param items    every raw item change, validated (staged or not: the product marts read the raw layer); null: gone
     * @param variants raw variants with their raw product
     */
    public void orderMarts(KTable<Long, Validated> orders, KStream<Long, Validated> items,
                           KTable<Long, VariantWithProduct> variants, KTable<Long, RawRow> rawProducts,
                           TableRules variantRules, TableRules productRules) {
        KStream<Long, OrderLedger.Input> lines = items
                .process(new ItemRouter("order-item-routes", storeType, serdes.itemLine()), Named.as("order-item-router"))
                .map((itemId, share) -> {
                    Share.ToOrder to = (Share.ToOrder) share;
                    return KeyValue.pair(to.orderId(), new OrderLedger.LineChanged(to.itemId(), to.line()));
                }, Named.as("order-item-lines-by-order"))
                .repartition(Repartitioned.<Long, OrderLedger.LineChanged>as("order-item-lines")
                        .withKeySerde(ID).withValueSerde(serdes.lineChanged()))
                .mapValues(line -> (OrderLedger.Input) line, Named.as("order-item-line-inputs"));
        KStream<Long, OrderLedger.Input> revenueOrders = orders.toStream(Named.as("stg-order-changes"))
                .mapValues(order -> (OrderLedger.Input) new OrderLedger.OrderChanged(
                        order != null && isRevenueOrder(order) ? OrderInfo.of(order.cleaned()) : null), Named.as("revenue-order-inputs"));
        KStream<Long, Share> orderShares = revenueOrders.merge(lines, Named.as("order-ledger-inputs"))
                .process(new OrderLedger("order-ledger", storeType, serdes.orderState()), Named.as("order-ledger"));

        KTable<Long, LineSums> variantTotals = sum(orderShares, Share.ToVariant.class, "variant",
                s -> KeyValue.pair(s.variantId(), s.delta()), ID, serdes.lineSums(), LineSums.ZERO);
        KStream<Long, Share> variantShares = ledger(new VariantLedger("variant-ledger", storeType, serdes.variantState()), "variant",
                variantTotals, variants.toStream(Named.as("variant-changes")).mapValues(vp -> TotalsLedger.<LineSums, VariantInfo>label(
                        vp == null ? null : VariantInfo.of(vp, variantRules, productRules)), Named.as("variant-info-inputs")));
        publishRows(variantShares, Mart.REVENUE_BY_PRODUCT_VARIANT, "revenue-by-product-variant");

        KTable<Long, SalesSums> productTotals = sum(variantShares, Share.ToProduct.class, "product",
                s -> KeyValue.pair(s.productId(), s.delta()), ID, serdes.salesSums(), SalesSums.ZERO);
        KStream<Long, Share> productShares = ledger(new ProductLedger("product-ledger", storeType, serdes.productState()), "product",
                productTotals, rawProducts.toStream(Named.as("product-changes")).mapValues(p -> TotalsLedger.<SalesSums, ProductLabel>label(
                        p == null ? null : ProductLabel.of(p)), Named.as("product-label-inputs")));
        publishRows(productShares, Mart.REVENUE_BY_PRODUCT, "revenue-by-product");

        Mart<String> byCategory = Mart.REVENUE_BY_CATEGORY;
        KTable<String, SalesSums> categories = sum(productShares, Share.ToCategory.class, "category",
                s -> KeyValue.pair(s.category(), s.delta()), serdes.textKey(), serdes.salesSums(), SalesSums.ZERO);
        publish(categories, byCategory, "revenue-by-category", (c, s) -> s.count() <= 0 ? null
                : byCategory.row(c, s.count(), s.units(), s.revenue(), s.cost(), s.grossProfit()));

        Mart<LocalDate> daily = Mart.SALES_DAILY;
        KTable<LocalDate, DaySums> days = sum(orderShares, Share.ToDay.class, "day",
                s -> KeyValue.pair(s.day(), s.delta()), serdes.dayKey(), serdes.daySums(), DaySums.ZERO);
        publish(days, daily, "sales-daily", (day, s) -> s.orders() <= 0 ? null
                : daily.row(day, s.orders(), s.units(), s.revenue(), Decimals.ratio(s.revenue(), s.orders())));
        KStream<LocalDate, Share> fromDays = days.toStream(Named.as("day-totals-changes"))
                .process(KpiFeed.ofTotals("day-kpi-feed", storeType, serdes.dayKey(), serdes.daySums(), KpiSums::ofDay),
                        Named.as("day-kpi-feed"));
        // A customer's revenue orders count only for kpis, so the feed sums them itself (no table).
        // A customer rarely gets two within one interval (at a 1 M-item bulk load its buffer forwarded
        // one sum per difference and wrote 1.4 changelog records for each), so nothing is buffered.
        DeltaBuffer<Long, Share, Long, Count> customerDeltas = DeltaBuffer.passingThrough("customer-pending-deltas", storeType, ID,
                serdes.count(), commits.fresh(), route(Share.ToCustomer.class, s -> KeyValue.pair(s.customerId(), s.delta())));
        KStream<Long, Share> fromCustomers = orderShares.process(customerDeltas, Named.as("customer-delta-buffer"))
                .repartition(Repartitioned.<Long, Count>as("customer-deltas").withKeySerde(ID).withValueSerde(serdes.count()))
                .process(KpiFeed.ofDifferences("customer-kpi-feed", storeType, ID, serdes.count(), c -> KpiSums.ofCustomer(c.n())),
                        Named.as("customer-kpi-feed"));
        Mart<String> kpis = Mart.KPIS;
        KStream<String, KpiSums> kpiDeltas = fromDays
                .map((day, s) -> KeyValue.pair(KPI_SCOPE, ((Share.ToKpis) s).delta()), Named.as("day-kpi-deltas"))
                .merge(fromCustomers.map((c, s) -> KeyValue.pair(KPI_SCOPE, ((Share.ToKpis) s).delta()), Named.as("customer-kpi-deltas")),
                        Named.as("kpi-deltas"));
        KTable<String, KpiSums> all = kpiDeltas
                .process(DeltaBuffer.keyed("kpi-pending-deltas", storeType, serdes.textKey(), serdes.kpiSums(), commits.fresh()),
                        Named.as("kpi-delta-buffer"))
                .groupByKey(Grouped.with("kpi-deltas", serdes.textKey(), serdes.kpiSums()))
                .aggregate(() -> KpiSums.ZERO, (scope, d, k) -> nonZero(k.plus(d)),
                        Named.as("kpis-aggregate"), store("kpis", serdes.textKey(), serdes.kpiSums()));
        publish(all, kpis, "kpis", (scope, k) -> k.orders() <= 0 ? null : kpis.row(scope, k.orders(), k.units(), k.revenue(),
                Decimals.ratio(k.revenue(), k.orders()), Decimals.ratio(k.units(), k.orders()),
                k.customersWithOrders(), k.repeatCustomers(), Decimals.ratio(k.repeatCustomers(), k.customersWithOrders())));
    }

    /** A dimension ledger fed with its key's totals and its label (the names are its operators' and topics' names). */
    private static <T, L> KStream<Long, Share> ledger(TotalsLedger<T, L, ?> ledger, String name, KTable<Long, T> totals,
                                                     KStream<Long, TotalsLedger.Input<T, L>> labels) {
        return totals.toStream(Named.as(name + "-totals-changes"))
                .mapValues(t -> TotalsLedger.<T, L>totals(t), Named.as(name + "-totals-inputs"))
                .merge(labels, Named.as(name + "-ledger-inputs"))
                .process(ledger, Named.as(name + "-ledger"));
    }

    /**
     * The differences of one kind among a ledger's shares, summed per target key: the target's
     * total, removed (null) when it is back to zero. Each task first adds up its own differences
     * per target for a while ({@link DeltaBuffer}), so the repartition carries a sum per target and
     * interval rather than a record per source change. The totals' store keeps its record cache:
     * a task that is behind reads several intervals' sums of a key in one poll, and the cache
     * hands on one total per key and commit. Without it (tried in 6d21aad) the outputs of a
     * 100k-order bulk load grew from 485-490 MB to 549-582 MB; staging is one record per change
     * either way, so the mart topics went from ~30 MB to ~90-120 MB, each record also a ledger
     * update downstream and a row for the sink.
     */
    private <I, K, T extends Share, S extends Sums<S>> KTable<K, S> sum(KStream<I, Share> shares, Class<T> kind, String name,
                                                                        Function<T, KeyValue<K, S>> target,
                                                                        Serde<K> keySerde, Serde<S> sumSerde, S zero) {
        return buffered(shares, kind, name, target, keySerde, sumSerde)
                .groupByKey(Grouped.with(name + "-deltas", keySerde, sumSerde))
                .aggregate(() -> zero, (key, delta, total) -> nonZero(total.plus(delta)),
                        Named.as(name + "-totals-aggregate"), store(name + "-totals", keySerde, sumSerde));
    }

    /** The differences of one kind among a ledger's shares, summed per target key for a while in each task ({@link DeltaBuffer}). */
    private <I, K, T extends Share, S extends Sums<S>> KStream<K, S> buffered(KStream<I, Share> shares, Class<T> kind, String name,
                                                                              Function<T, KeyValue<K, S>> target,
                                                                              Serde<K> keySerde, Serde<S> sumSerde) {
        DeltaBuffer<I, Share, K, S> buffer = new DeltaBuffer<>(name + "-pending-deltas", storeType, keySerde, sumSerde,
                commits.fresh(), route(kind, target));
        return shares.process(buffer, Named.as(name + "-delta-buffer"));
    }

    /** The shares of one kind, addressed to their target; the others are not a buffer's. */
    private static <I, T extends Share, K, S> DeltaBuffer.Route<I, Share, K, S> route(Class<T> kind, Function<T, KeyValue<K, S>> target) {
        return (source, share) -> kind.isInstance(share) ? target.apply(kind.cast(share)) : null;
    }

    private static <S extends Sums<S>> S nonZero(S total) {
        return total.isZero() ? null : total;
    }

    /** A ledger's own mart rows to the mart's topic (a null row is a tombstone). */
    private <K> void publishRows(KStream<K, Share> shares, Mart<K> mart, String name) {
        Topic<K, TypedRow> topic = topics.mart(mart);
        shares.filter((k, s) -> s instanceof Share.MartRow, Named.as(name + "-rows"))
                .mapValues(s -> ((Share.MartRow) s).row(), Named.as(name + "-row"))
                .to(topic.name(), topic.produced(name + "-sink"));
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
