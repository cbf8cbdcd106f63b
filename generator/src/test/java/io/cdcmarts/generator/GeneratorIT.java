package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema and the bulk step against a real PostgreSQL, one fresh database per test. */
class GeneratorIT {

    static final Instant MARCH_1 = Instant.parse("2024-03-01T00:00:00Z");
    static final Instant MARCH_31_END = Instant.parse("2024-03-31T23:59:59Z");

    /** Ordered dumps of every table without the clock-driven created_at / updated_at. */
    static final List<String> DUMPS = List.of(
            "SELECT id, full_name, email, country, age FROM customers ORDER BY id",
            "SELECT id, name, category, sku FROM products ORDER BY id",
            "SELECT id, product_id, variant_sku, color, size, manufacturing_price, selling_price, stock_quantity,"
                    + " is_active FROM product_variants ORDER BY id",
            "SELECT id, customer_id, order_date, status, total_amount FROM orders ORDER BY id",
            "SELECT id, order_id, variant_id, quantity, unit_price, total_price FROM order_items ORDER BY id");

    private final Infra infra = SharedInfra.get();

    @Test
    void createSchemaTwiceIsFineAndKeepsTheRows() throws Exception {
        PgDsn dsn = infra.newDatabase("generator_schema");
        try (Sql sql = new Sql(dsn)) {
            Schema.create(sql.connection());
            assertThat(Schema.missingTables(sql.connection())).isEmpty();
            sql.execute("INSERT INTO customers (full_name, email, country, age) VALUES ('A B', 'a@b.io', 'Chile', 30)");

            Schema.create(sql.connection());

            assertThat(sql.count("SELECT count(*) FROM customers")).isEqualTo(1);
            assertThat(sql.rows("""
                    SELECT attname, attgenerated, pg_get_expr(d.adbin, d.adrelid)
                    FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE a.attrelid = 'order_items'::regclass AND a.attname = 'total_price'"""))
                    .containsExactly("total_price\ts\t((quantity)::numeric * unit_price)");
            assertThat(sql.rows("""
                    SELECT conrelid::regclass || '->' || confrelid::regclass || ' ' || confdeltype::text
                    FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1"""))
                    .as("ON DELETE CASCADE (c) where the tutorial has it, NO ACTION (a) elsewhere")
                    .containsExactly("order_items->orders c", "order_items->product_variants a",
                            "orders->customers a", "product_variants->products c");
            assertThat(sql.rows("""
                    SELECT conrelid::regclass || '.' || a.attname FROM pg_constraint c
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                    WHERE c.contype = 'u' AND c.connamespace = 'public'::regnamespace ORDER BY 1"""))
                    .containsExactly("customers.email", "product_variants.variant_sku", "products.sku");
        }
    }

    @Test
    void twoProcessesCreatingTheSchemaAtOnceBothSucceed() throws Exception {
        PgDsn dsn = infra.newDatabase("generator_schema_race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> creations = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                creations.add(pool.submit(() -> {
                    Schema.create(dsn);
                    return null;
                }));
            }

            for (Future<?> creation : creations) {
                creation.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Sql sql = new Sql(dsn)) {
            assertThat(Schema.missingTables(sql.connection())).isEmpty();
        }
    }

    @Test
    void aBulkRunHasTheTutorialsShapesAndCounts() throws Exception {
        PgDsn dsn = infra.newDatabase("generator_bulk");
        GeneratorConfig config = GeneratorConfig.builder(dsn).customers(120).products(30).orders(400)
                .maxItemsPerOrder(4).window(MARCH_1, MARCH_31_END).createSchema(true).build();

        try (Sql sql = new Sql(dsn)) {
            Schema.create(sql.connection());
            BulkGenerator.Result result = new BulkGenerator(config).run(sql.connection());

            assertThat(sql.count("SELECT count(*) FROM customers")).isEqualTo(120).isEqualTo(result.customers());
            assertThat(sql.count("SELECT count(*) FROM products")).isEqualTo(30).isEqualTo(result.products());
            assertThat(sql.count("SELECT count(*) FROM orders")).isEqualTo(400).isEqualTo(result.orders());
            assertThat(sql.count("SELECT count(*) FROM product_variants")).isEqualTo(result.variants());
            assertThat(sql.count("SELECT count(*) FROM order_items")).isEqualTo(result.orderItems());

            assertThat(sql.rows("""
                    SELECT min(n), max(n) FROM (SELECT count(v.id) AS n FROM products p
                    LEFT JOIN product_variants v ON v.product_id = p.id GROUP BY p.id) x"""))
                    .as("1-4 variants per product").containsExactly("1\t4");
            assertThat(sql.rows("""
                    SELECT min(n), max(n) FROM (SELECT count(i.id) AS n FROM orders o
                    LEFT JOIN order_items i ON i.order_id = o.id GROUP BY o.id) x"""))
                    .as("1..max items per order").containsExactly("1\t4");
            assertThat(sql.count("""
                    SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY order_id
                    HAVING count(*) <> count(DISTINCT variant_id)) x""")).as("items on distinct variants").isZero();
            assertThat(sql.count("SELECT count(*) FROM order_items WHERE total_price <> quantity * unit_price")).isZero();
            assertThat(sql.count("SELECT count(*) FROM order_items WHERE quantity NOT BETWEEN 1 AND 3"
                    + " OR unit_price NOT BETWEEN 20 AND 200")).isZero();
            assertThat(sql.count("SELECT count(*) FROM orders WHERE order_date < '2024-03-01T00:00:00Z'"
                    + " OR order_date > '2024-03-31T23:59:59Z'")).as("order dates inside the window").isZero();
            assertThat(sql.rows("SELECT DISTINCT status FROM orders ORDER BY 1"))
                    .containsExactly("cancelled", "paid", "pending", "shipped");
            assertThat(sql.count("SELECT count(*) FROM orders WHERE total_amount <> 0")).isZero();
            assertThat(sql.count("SELECT count(*) FROM customers WHERE age NOT BETWEEN 18 AND 70")).isZero();
            assertThat(sql.count("SELECT count(*) FROM products WHERE sku !~ '^SKU-[0-9]{4}-[A-Z]{2}$'"
                    + " OR name NOT LIKE '% ' || category OR name !~ '^[A-Z]'")).isZero();
            assertThat(sql.count("SELECT count(*) FROM product_variants WHERE variant_sku !~ '^VAR-[0-9]{4}-[A-Z]{2}$'"
                    + " OR (color IS NOT NULL AND color NOT IN ('Red', 'Blue', 'Black', 'White', 'Green'))"
                    + " OR stock_quantity NOT BETWEEN 0 AND 200 OR NOT is_active")).isZero();
            assertThat(sql.count("SELECT count(*) FROM product_variants WHERE manufacturing_price NOT BETWEEN 10 AND 80"
                    + " OR selling_price < round(manufacturing_price * 1.2, 2)"
                    + " OR selling_price > round(manufacturing_price * 2.0, 2)")).isZero();
            assertThat(sql.count("SELECT count(DISTINCT category) FROM products")).isEqualTo(5);
            assertNoStagingFailures(sql);
        }
    }

    @Test
    void aSecondRunWithTheSameSeedUpdatesCustomersAndCatalogAndAddsOrders() throws Exception {
        PgDsn dsn = infra.newDatabase("generator_rerun");
        GeneratorConfig config = GeneratorConfig.builder(dsn).customers(30).products(10).orders(50)
                .window(MARCH_1, MARCH_31_END).build();
        try (Sql sql = new Sql(dsn)) {
            Schema.create(sql.connection());
            new BulkGenerator(config).run(sql.connection());
            long variants = sql.count("SELECT count(*) FROM product_variants");

            new BulkGenerator(config).run(sql.connection());

            assertThat(sql.count("SELECT count(*) FROM customers")).isEqualTo(30);
            assertThat(sql.count("SELECT count(*) FROM products")).isEqualTo(10);
            assertThat(sql.count("SELECT count(*) FROM product_variants")).isEqualTo(variants);
            assertThat(sql.count("SELECT count(*) FROM orders")).isEqualTo(100);
            assertThat(sql.count("SELECT count(*) FROM customers WHERE updated_at > created_at"))
                    .as("upserted, not inserted again").isEqualTo(30);
        }
    }

    @Test
    void theSameSeedGivesTheSameRowsInTwoFreshDatabases() throws Exception {
        List<List<String>> first = bulkDump(42);
        List<List<String>> second = bulkDump(42);
        List<List<String>> otherSeed = bulkDump(7);

        assertThat(first.get(4)).hasSizeGreaterThan(300);
        for (int table = 0; table < DUMPS.size(); table++) {
            assertThat(second.get(table)).as(DUMPS.get(table)).isEqualTo(first.get(table));
        }
        assertThat(otherSeed.get(0)).isNotEqualTo(first.get(0));
        assertThat(otherSeed.get(4)).isNotEqualTo(first.get(4));
    }

    @Test
    void chaosHundredMakesEveryVariantSizeInvalidForItsCategoryAndZeroNone() throws Exception {
        try (Sql all = bulkWithChaos(100); Sql none = bulkWithChaos(0)) {
            String invalidSizes = "SELECT count(*) FROM product_variants v JOIN products p ON p.id = v.product_id"
                    + " WHERE " + Sql.BAD_SIZE;
            long variants = all.count("SELECT count(*) FROM product_variants");

            assertThat(variants).isGreaterThan(50);
            assertThat(all.count(invalidSizes)).isEqualTo(variants);
            assertThat(none.count(invalidSizes)).isZero();
            assertThat(none.count("SELECT count(*) FROM product_variants")).isGreaterThan(50);
        }
    }

    @Test
    void theCommandCreatesTheSchemaLoadsAndStreamsUntilItsLimit() throws Exception {
        PgDsn dsn = infra.newDatabase("generator_command");

        int exit = new CommandLine(new GenerateCommand()).execute("--dsn", dsn.toUrlWithPassword(),
                "--create-schema", "--customers", "10", "--products", "5", "--orders", "20",
                "--starting-at", "2024-03-01", "--ending-at", "2024-03-31",
                "--stream", "--rate", "1000", "--max-events", "25");

        assertThat(exit).isZero();
        try (Sql sql = new Sql(dsn)) {
            assertThat(sql.count("SELECT count(*) FROM customers")).isGreaterThanOrEqualTo(10);
            assertThat(sql.count("SELECT count(*) FROM orders WHERE order_date > '2025-01-01'"))
                    .as("orders the stream placed today").isPositive();
        }
    }

    @Test
    void theCommandRefusesToLoadIntoMissingTables() throws Exception {
        PgDsn dsn = infra.newDatabase("generator_no_schema");
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new GenerateCommand());
        command.setErr(new PrintWriter(err, true));

        int exit = command.execute("--dsn", dsn.toUrlWithPassword(), "--orders", "1");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("do not exist").contains("--create-schema");
    }

    static void assertNoStagingFailures(Sql sql) throws SQLException {
        assertThat(sql.count(Sql.BAD_CUSTOMERS)).as("customers failing staging").isZero();
        assertThat(sql.count(Sql.BAD_PRODUCTS)).as("products failing staging").isZero();
        assertThat(sql.count(Sql.BAD_VARIANTS)).as("variants failing staging").isZero();
        assertThat(sql.count(Sql.BAD_ORDERS)).as("orders failing staging").isZero();
        assertThat(sql.count(Sql.BAD_ITEMS)).as("items failing staging").isZero();
    }

    private List<List<String>> bulkDump(long seed) throws SQLException {
        PgDsn dsn = infra.newDatabase("generator_seed_" + seed);
        GeneratorConfig config = GeneratorConfig.builder(dsn).customers(60).products(20).orders(150)
                .window(MARCH_1, MARCH_31_END).chaosPercent(10).seed(seed).build();
        try (Sql sql = new Sql(dsn)) {
            Schema.create(sql.connection());
            new BulkGenerator(config).run(sql.connection());
            List<List<String>> dumps = new ArrayList<>();
            for (String dump : DUMPS) {
                dumps.add(sql.rows(dump));
            }
            return dumps;
        }
    }

    private Sql bulkWithChaos(double percent) throws SQLException {
        PgDsn dsn = infra.newDatabase("generator_chaos");
        GeneratorConfig config = GeneratorConfig.builder(dsn).customers(5).products(40).orders(0)
                .chaosPercent(percent).build();
        Sql sql = new Sql(dsn);
        Schema.create(sql.connection());
        new BulkGenerator(config).run(sql.connection());
        return sql;
    }
}
