package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The continuous workload against a real PostgreSQL, bounded by --max-events, one fresh database per test. */
class StreamingWorkloadIT {

    /** Snapshots: id, then the fields a test watches, separated by '|'. */
    private static final String ORDERS = "SELECT id, status || '|' || customer_id || '|' || order_date FROM orders";
    private static final String ITEMS = "SELECT id, variant_id || '|' || quantity || '|' || unit_price FROM order_items";
    private static final String VARIANTS =
            "SELECT id, selling_price || '|' || manufacturing_price || '|' || stock_quantity FROM product_variants";
    private static final String PRODUCTS = "SELECT id, category FROM products";

    private final Infra infra = SharedInfra.get();

    @Test
    void aBoundedRunInsertsUpdatesOfEveryKindAndDeletesAndKeepsEveryRowValid() throws Exception {
        PgDsn dsn = infra.newDatabase("stream_ordinary");
        try (Sql sql = loaded(dsn)) {
            Map<String, String> orders = snapshot(sql, ORDERS);
            Map<String, String> items = snapshot(sql, ITEMS);
            Map<String, String> variants = snapshot(sql, VARIANTS);
            Map<String, String> products = snapshot(sql, PRODUCTS);
            long maxCustomer = sql.count("SELECT max(id) FROM customers");
            long maxOrder = sql.count("SELECT max(id) FROM orders");
            long maxVariant = sql.count("SELECT max(id) FROM product_variants");

            StreamingWorkload.Stats stats = runWorkload(dsn, 300, 0);

            assertThat(stats.events()).isEqualTo(300);
            assertThat(stats.failures()).isZero();
            SoftAssertions kinds = new SoftAssertions();
            for (EventKind kind : EventKind.ordinary()) {
                kinds.assertThat(stats.applied(kind)).as(kind.label()).isPositive();
            }
            for (EventKind kind : EventKind.values()) {
                if (kind.chaos()) {
                    kinds.assertThat(stats.applied(kind)).as(kind.label() + " without chaos").isZero();
                }
            }
            kinds.assertAll();

            // Observed in the tables, not only counted by the workload:
            Map<String, String> ordersAfter = snapshot(sql, ORDERS);
            Map<String, String> itemsAfter = snapshot(sql, ITEMS);
            Map<String, String> variantsAfter = snapshot(sql, VARIANTS);
            Map<String, String> productsAfter = snapshot(sql, PRODUCTS);
            SoftAssertions seen = new SoftAssertions();
            seen.assertThat(changed(orders, ordersAfter, 0, "pending", "paid")).as("pending -> paid").isPositive();
            seen.assertThat(changed(orders, ordersAfter, 0, "paid", "shipped")).as("paid -> shipped").isPositive();
            seen.assertThat(changed(orders, ordersAfter, 0, null, "cancelled")).as("-> cancelled").isPositive();
            seen.assertThat(changed(orders, ordersAfter, 1, null, null)).as("order moved to another customer")
                    .isPositive();
            seen.assertThat(changed(orders, ordersAfter, 2, null, null)).as("order moved to another day").isPositive();
            seen.assertThat(changed(items, itemsAfter, 0, null, null)).as("item moved to another variant").isPositive();
            seen.assertThat(changed(items, itemsAfter, 1, null, null)).as("item quantity").isPositive();
            seen.assertThat(changed(items, itemsAfter, 2, null, null)).as("item unit price").isPositive();
            seen.assertThat(changed(variants, variantsAfter, 0, null, null)).as("selling price").isPositive();
            seen.assertThat(changed(variants, variantsAfter, 1, null, null)).as("manufacturing price").isPositive();
            seen.assertThat(changed(variants, variantsAfter, 2, null, null)).as("stock").isPositive();
            seen.assertThat(changed(products, productsAfter, 0, null, null)).as("product category").isPositive();
            seen.assertThat(gone(orders, ordersAfter)).as("orders deleted").isPositive();
            seen.assertThat(gone(items, itemsAfter)).as("items deleted").isPositive();
            seen.assertThat(sql.count("SELECT count(*) FROM orders WHERE id > " + maxOrder))
                    .as("new orders").isPositive();
            seen.assertThat(sql.count("SELECT count(*) FROM customers WHERE id > " + maxCustomer))
                    .as("new customers").isPositive();
            seen.assertThat(sql.count("SELECT count(*) FROM product_variants WHERE id > " + maxVariant))
                    .as("new variants").isPositive();
            for (String table : List.of("customers", "products", "product_variants", "orders")) {
                seen.assertThat(sql.count("SELECT count(*) FROM " + table + " WHERE updated_at > created_at"))
                        .as(table + ".updated_at moves on updates").isPositive();
            }
            seen.assertAll();

            assertForeignKeysHold(sql);
            GeneratorIT.assertNoStagingFailures(sql);
        }
    }

    @Test
    void withChaosItWritesRowsThatFailStagingAndFixesSomeLater() throws Exception {
        PgDsn dsn = infra.newDatabase("stream_chaos");
        try (Sql sql = loaded(dsn)) {

            StreamingWorkload.Stats stats = runWorkload(dsn, 400, 60);

            SoftAssertions kinds = new SoftAssertions();
            for (EventKind kind : EventKind.values()) {
                if (kind.chaos()) {
                    kinds.assertThat(stats.applied(kind)).as(kind.label()).isPositive();
                }
            }
            kinds.assertThat(stats.applied(EventKind.NEW_ORDER)).as("ordinary events go on").isPositive();
            kinds.assertAll();
            long failing = sql.count(Sql.BAD_CUSTOMERS) + sql.count(Sql.BAD_PRODUCTS) + sql.count(Sql.BAD_VARIANTS)
                    + sql.count(Sql.BAD_ORDERS) + sql.count(Sql.BAD_ITEMS);
            assertThat(failing).as("rows that staging dead-letters").isPositive();
            assertThat(sql.count(Sql.BAD_ORDERS)).as("unknown statuses such as 'refunded'").isPositive();
            assertForeignKeysHold(sql);
        }
    }

    @Test
    void ordersDatedBefore1900AreNeverDeletedRedatedOrMovedOn() throws Exception {
        // Given a third of the shop's orders dated in 1850 (where cdc-marts bench keeps its markers)
        PgDsn dsn = infra.newDatabase("stream_left_alone");
        try (Sql sql = loaded(dsn)) {
            try (var st = sql.connection().createStatement()) {
                st.executeUpdate("UPDATE orders SET order_date = order_date - interval '174 years' WHERE id % 3 = 0");
            }
            String early = "SELECT id, status || '|' || customer_id || '|' || order_date FROM orders"
                    + " WHERE order_date < TIMESTAMPTZ '" + StreamingWorkload.ORDERS_LEFT_ALONE_BEFORE + " 00:00:00+00'";
            Map<String, String> before = snapshot(sql, early);
            assertThat(before).hasSizeGreaterThan(40);

            // When the workload makes 600 changes, status moves, re-dating and deletes of orders among them
            StreamingWorkload.Stats stats = runWorkload(dsn, 600, 0);

            // Then it did change orders, but none of those was deleted, re-dated, moved on or given to
            // another customer (their totals follow their items' changes)
            assertThat(stats.applied(EventKind.DELETE_ORDER) + stats.applied(EventKind.ORDER_REDATED)).isPositive();
            assertThat(snapshot(sql, early)).isEqualTo(before);
        }
    }

    @Test
    void theSameSeedMakesTheSameChangesOnTheSameData() throws Exception {
        List<List<String>> first = streamedDump();
        List<List<String>> second = streamedDump();

        for (int table = 0; table < first.size(); table++) {
            assertThat(second.get(table)).isEqualTo(first.get(table));
        }
    }

    @Test
    void closeStopsAnUnboundedWorkloadPromptly() throws Exception {
        PgDsn dsn = infra.newDatabase("stream_close");
        try (Sql sql = loaded(dsn)) {
            GeneratorConfig config = GeneratorConfig.builder(dsn).rate(50).build();
            StreamingWorkload workload = new StreamingWorkload(config);
            workload.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> workload.stats().events() >= 5);

            workload.close();

            assertThat(workload.isRunning()).isFalse();
            assertThat(workload.awaitTermination(Duration.ZERO)).isTrue();
            assertThat(workload.failure()).isNull();
            await("the workload's connection is closed").atMost(Duration.ofSeconds(10))
                    .until(() -> sql.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND application_name = 'cdc-marts-generator-stream'") == 0);
        }
    }

    @Test
    void aLostConnectionIsReopenedAndTheWorkloadGoesOn() throws Exception {
        PgDsn dsn = infra.newDatabase("stream_reconnect");
        try (Sql sql = loaded(dsn);
             StreamingWorkload workload = new StreamingWorkload(GeneratorConfig.builder(dsn).rate(200).build())) {
            workload.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> workload.stats().events() >= 10);

            long terminated = sql.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = 'cdc-marts-generator-stream'");
            long eventsThen = workload.stats().events();

            assertThat(terminated).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> workload.stats().events() >= eventsThen + 50);
            assertThat(workload.isRunning()).isTrue();
            assertThat(workload.failure()).isNull();
            assertThat(workload.stats().failures()).as("at most the event in flight is lost").isLessThanOrEqualTo(1);
            assertForeignKeysHold(sql);
        }
    }

    @Test
    void anEmptyDatabaseFillsItself() throws Exception {
        PgDsn dsn = infra.newDatabase("stream_empty");
        try (Sql sql = new Sql(dsn)) {
            Schema.create(sql.connection());

            StreamingWorkload.Stats stats = runWorkload(dsn, 60, 0);

            assertThat(stats.failures()).isZero();
            assertThat(sql.count("SELECT count(*) FROM customers")).isPositive();
            assertThat(sql.count("SELECT count(*) FROM order_items")).isPositive();
        }
    }

    @Test
    void startingWithoutTablesSaysToCreateThem() {
        PgDsn dsn = infra.newDatabase("stream_no_tables");
        StreamingWorkload workload = new StreamingWorkload(GeneratorConfig.builder(dsn).build());

        assertThatThrownBy(workload::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--create-schema");
        workload.close();
    }

    private List<List<String>> streamedDump() throws Exception {
        PgDsn dsn = infra.newDatabase("stream_seed");
        try (Sql sql = loaded(dsn)) {
            runWorkload(dsn, 200, 20);
            List<List<String>> dumps = new ArrayList<>();
            for (String dump : GeneratorIT.DUMPS) {
                // new orders are dated now(): everything else must match to the cent
                dumps.add(sql.rows(dump.replace("order_date, ", "")));
            }
            return dumps;
        }
    }

    /** A small shop: 40 customers, 15 products, 150 orders in March 2024. */
    private Sql loaded(PgDsn dsn) throws SQLException {
        Sql sql = new Sql(dsn);
        Schema.create(sql.connection());
        new BulkGenerator(GeneratorConfig.builder(dsn).customers(40).products(15).orders(150).maxItemsPerOrder(4)
                .window(GeneratorIT.MARCH_1, GeneratorIT.MARCH_31_END).build()).run(sql.connection());
        return sql;
    }

    private static StreamingWorkload.Stats runWorkload(PgDsn dsn, long events, double chaosPercent) throws Exception {
        GeneratorConfig config = GeneratorConfig.builder(dsn).maxItemsPerOrder(4).chaosPercent(chaosPercent)
                .rate(5_000).maxEvents(events).build();
        try (StreamingWorkload workload = new StreamingWorkload(config)) {
            workload.start();
            assertThat(workload.awaitTermination(Duration.ofSeconds(120))).as("workload reached its limit").isTrue();
            assertThat(workload.failure()).isNull();
            return workload.stats();
        }
    }

    private static void assertForeignKeysHold(Sql sql) throws SQLException {
        assertThat(sql.count("SELECT count(*) FROM orders o WHERE NOT EXISTS"
                + " (SELECT 1 FROM customers c WHERE c.id = o.customer_id)")).isZero();
        assertThat(sql.count("SELECT count(*) FROM order_items i WHERE NOT EXISTS"
                + " (SELECT 1 FROM orders o WHERE o.id = i.order_id)")).isZero();
        assertThat(sql.count("SELECT count(*) FROM order_items i WHERE NOT EXISTS"
                + " (SELECT 1 FROM product_variants v WHERE v.id = i.variant_id)")).isZero();
        assertThat(sql.count("SELECT count(*) FROM product_variants v WHERE NOT EXISTS"
                + " (SELECT 1 FROM products p WHERE p.id = v.product_id)")).isZero();
        assertThat(sql.count("SELECT count(*) FROM order_items WHERE total_price <> quantity * unit_price")).isZero();
    }

    private static Map<String, String> snapshot(Sql sql, String query) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        for (String row : sql.rows(query)) {
            int tab = row.indexOf('\t');
            rows.put(row.substring(0, tab), row.substring(tab + 1));
        }
        return rows;
    }

    /** Rows still there whose field {@code field} went from {@code from} (any when null) to {@code to} (any when null). */
    private static long changed(Map<String, String> before, Map<String, String> after, int field, String from,
                                String to) {
        return before.entrySet().stream().filter(e -> after.containsKey(e.getKey())).filter(e -> {
            String old = e.getValue().split("\\|")[field];
            String now = after.get(e.getKey()).split("\\|")[field];
            return !old.equals(now) && (from == null || old.equals(from)) && (to == null || now.equals(to));
        }).count();
    }

    private static long gone(Map<String, String> before, Map<String, String> after) {
        return before.keySet().stream().filter(id -> !after.containsKey(id)).count();
    }
}
