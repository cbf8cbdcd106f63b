package io.cdcmarts.generator;

import net.datafaker.Faker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The tutorial's one-shot data generator: upserts customers (by email), products (by sku) and
 * 1–4 variants per product (by variant_sku), then inserts orders with 1..max items each, in the
 * tutorial's shapes and distributions. Like the tutorial it is idempotent for the catalog and the
 * customers (the same seed upserts the same rows again) and adds orders on every run.
 *
 * <p>Rows go in with {@code COPY}: customers, products and variants into a temporary table plus
 * one set-based {@code INSERT … SELECT … ON CONFLICT}, one transaction per table; orders and their
 * items straight into their tables with ids reserved from the sequences, one transaction per chunk,
 * chunks sent on parallel connections. That keeps a million order items well under a minute.
 *
 * <pre>{@code
 * BulkGenerator.Result result = new BulkGenerator(config).run(connection);
 * }</pre>
 */
public final class BulkGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(BulkGenerator.class);

    /** Orders per transaction: bounds memory and the size of one transaction, and paces progress lines. */
    static final int ORDER_CHUNK = 25_000;
    /** Order items per transaction, roughly: fewer orders per chunk when orders have many items. */
    static final int ITEM_CHUNK = 75_000;
    private static final BigDecimal ZERO_MONEY = BigDecimal.ZERO.setScale(2);
    /** Give up on finding a fresh unique value after this many draws in a row: the space is (nearly) used up. */
    private static final int MAX_UNIQUE_DRAWS = 1_000;

    private final GeneratorConfig config;

    public BulkGenerator(GeneratorConfig config) {
        this.config = config;
    }

    /**
     * What one run wrote.
     *
     * @param customers  customers inserted or updated
     * @param products   products inserted or updated
     * @param variants   variants inserted or updated
     * @param orders     orders inserted
     * @param orderItems order items inserted
     * @param took       wall-clock time of the run
     */
    public record Result(long customers, long products, long variants, long orders, long orderItems, Duration took) {
    }

    /** Opens a connection to the config's DSN, runs, and closes it. */
    public Result run() throws SQLException {
        try (Connection connection = Connections.open(config.dsn(), "cdc-marts-generator")) {
            return run(connection);
        }
    }

    /**
     * Runs on {@code connection}, which must see the five tables (see {@link Schema#create}).
     * Commits per table; auto-commit is restored afterwards. Orders and their items are sent in
     * chunks on a few connections of its own to the config's DSN, one transaction per chunk.
     *
     * @throws IllegalStateException when orders are asked for but there is no customer or variant to use
     */
    public Result run(Connection connection) throws SQLException {
        long started = System.nanoTime();
        LOG.info("Generating {} customers, {} products, {} orders with 1..{} items each, dated {} to {} "
                        + "(seed {}, chaos {}%)", config.customers(), config.products(), config.orders(),
                config.maxItemsPerOrder(), config.startingAt(), config.endingAt(), config.seed(), config.chaosPercent());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            long customers = timed("customers", "upserted", () -> customers(connection));
            long products = timed("products", "upserted", () -> products(connection));
            long variants = timed("product_variants", "upserted", () -> variants(connection));
            long[] ordersAndItems = orders(connection);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Result result = new Result(customers, products, variants, ordersAndItems[0], ordersAndItems[1], took);
            LOG.info("Bulk generation done in {}: {} customers, {} products, {} variants, {} orders, {} order items",
                    seconds(took.toNanos()), customers, products, variants, result.orders(), result.orderItems());
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private long customers(Connection connection) throws SQLException {
        if (config.customers() == 0) {
            return 0;
        }
        Faker faker = new Faker(Locale.ENGLISH, new Random(Seeds.derive(config.seed(), Seeds.CUSTOMER_FAKER)));
        Random rng = new Random(Seeds.derive(config.seed(), Seeds.CUSTOMER_VALUES));
        Set<String> emails = new HashSet<>();
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE gen_customers (seq integer, full_name text, email text, country text,"
                    + " age integer) ON COMMIT DROP");
        }
        try (CopyWriter copy = new CopyWriter(connection, "COPY gen_customers FROM STDIN")) {
            for (int i = 0; i < config.customers(); i++) {
                String fullName = faker.name().fullName();
                String email = unique(emails, "email", () -> faker.internet().emailAddress());
                copy.number(i).text(fullName).text(email).text(faker.address().country())
                        .number(rng.nextInt(18, 71)).endRow();
            }
            copy.finish();
        }
        long upserted = update(connection, """
                INSERT INTO customers (full_name, email, country, age)
                SELECT full_name, email, country, age FROM gen_customers ORDER BY seq
                ON CONFLICT (email) DO UPDATE
                  SET full_name = EXCLUDED.full_name, country = EXCLUDED.country, age = EXCLUDED.age,
                      updated_at = now()""");
        connection.commit();
        return upserted;
    }

    private long products(Connection connection) throws SQLException {
        if (config.products() == 0) {
            return 0;
        }
        Faker faker = new Faker(Locale.ENGLISH, new Random(Seeds.derive(config.seed(), Seeds.PRODUCT_FAKER)));
        Random rng = new Random(Seeds.derive(config.seed(), Seeds.PRODUCT_VALUES));
        Set<String> skus = new HashSet<>();
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE gen_products (seq integer, name text, category text, sku text) ON COMMIT DROP");
        }
        try (CopyWriter copy = new CopyWriter(connection, "COPY gen_products FROM STDIN")) {
            for (int i = 0; i < config.products(); i++) {
                String category = Catalog.pick(rng, Catalog.CATEGORIES);
                String name = Catalog.capitalize(faker.lorem().word()) + " " + category;
                String sku = unique(skus, "product sku", () -> faker.bothify("SKU-####-??", true));
                copy.number(i).text(name).text(category).text(sku).endRow();
            }
            copy.finish();
        }
        long upserted = update(connection, """
                INSERT INTO products (name, category, sku)
                SELECT name, category, sku FROM gen_products ORDER BY seq
                ON CONFLICT (sku) DO UPDATE
                  SET name = EXCLUDED.name, category = EXCLUDED.category, updated_at = now()""");
        connection.commit();
        return upserted;
    }

    /** Like the tutorial, 1–4 variants for every product in the table, not only this run's. */
    private long variants(Connection connection) throws SQLException {
        if (config.products() == 0) {
            return 0;
        }
        Faker faker = new Faker(Locale.ENGLISH, new Random(Seeds.derive(config.seed(), Seeds.VARIANT_FAKER)));
        Random rng = new Random(Seeds.derive(config.seed(), Seeds.VARIANT_VALUES));
        double chaos = config.chaosPercent() / 100.0;
        List<Long> productIds = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, category FROM products ORDER BY id")) {
            while (rs.next()) {
                productIds.add(rs.getLong(1));
                categories.add(rs.getString(2));
            }
        }
        Set<String> skus = new HashSet<>();
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE gen_variants (seq integer, product_id bigint, variant_sku text, color text,"
                    + " size text, manufacturing_price numeric(10,2), selling_price numeric(10,2),"
                    + " stock_quantity integer, is_active boolean) ON COMMIT DROP");
        }
        int seq = 0;
        try (CopyWriter copy = new CopyWriter(connection, "COPY gen_variants FROM STDIN")) {
            for (int p = 0; p < productIds.size(); p++) {
                String category = categories.get(p);
                int count = rng.nextInt(1, 5);
                for (int v = 0; v < count; v++) {
                    String sku = unique(skus, "variant sku", () -> faker.bothify("VAR-####-??", true));
                    String color = Catalog.pick(rng, Catalog.COLORS);
                    String size = Catalog.validSize(rng, category);
                    if (chaos > 0 && rng.nextDouble() < chaos) {
                        size = Catalog.invalidSize(rng, category);
                    }
                    BigDecimal manufacturing = Catalog.manufacturingPrice(rng);
                    BigDecimal selling = Catalog.sellingPrice(rng, manufacturing);
                    copy.number(seq++).number(productIds.get(p)).text(sku).text(color).text(size)
                            .money(manufacturing).money(selling).number(rng.nextInt(0, 201)).bool(true).endRow();
                }
            }
            copy.finish();
        }
        long upserted = update(connection, """
                INSERT INTO product_variants
                  (product_id, variant_sku, color, size, manufacturing_price, selling_price, stock_quantity, is_active)
                SELECT product_id, variant_sku, color, size, manufacturing_price, selling_price, stock_quantity, is_active
                FROM gen_variants ORDER BY seq
                ON CONFLICT (variant_sku) DO UPDATE
                  SET color = EXCLUDED.color, size = EXCLUDED.size,
                      manufacturing_price = EXCLUDED.manufacturing_price, selling_price = EXCLUDED.selling_price,
                      stock_quantity = EXCLUDED.stock_quantity, updated_at = now()""");
        connection.commit();
        return upserted;
    }

    /**
     * Orders and their items, chunk by chunk; returns {orders, items}. Ids are reserved from the
     * tables' sequences here, in generation order, and the rows carry them explicitly: so the
     * chunks can be sent on several connections at once and still get the same ids on every run
     * into an empty database, and a concurrent writer's rows can never be mistaken for ours.
     */
    private long[] orders(Connection connection) throws SQLException {
        if (config.orders() == 0) {
            return new long[]{0, 0};
        }
        long[] customerIds = ids(connection, "SELECT id FROM customers ORDER BY id");
        long[] variantIds = ids(connection, "SELECT id FROM product_variants ORDER BY id");
        if (customerIds.length == 0) {
            throw new IllegalStateException("cannot create " + config.orders()
                    + " orders: the database has no customers (use --customers > 0)");
        }
        if (variantIds.length == 0) {
            throw new IllegalStateException("cannot create " + config.orders()
                    + " orders: the database has no product variants (use --products > 0)");
        }
        String orderSequence = sequenceOf(connection, "orders");
        String itemSequence = sequenceOf(connection, "order_items");
        Random orderRng = new Random(Seeds.derive(config.seed(), Seeds.ORDER_VALUES));
        Random itemRng = new Random(Seeds.derive(config.seed(), Seeds.ITEM_VALUES));
        long windowSeconds = Duration.between(config.startingAt(), config.endingAt()).toSeconds();
        int maxItems = Math.min(config.maxItemsPerOrder(), variantIds.length);
        int chunkOrders = Math.max(1, Math.min(ORDER_CHUNK, ITEM_CHUNK / ((maxItems + 1) / 2)));
        int[] picked = new int[maxItems];
        long started = System.nanoTime();
        AtomicLong ordersDone = new AtomicLong();
        AtomicLong itemsDone = new AtomicLong();
        try (ParallelCopy loader = new ParallelCopy(config.dsn(), loaders())) {
            for (int from = 0; from < config.orders(); from += chunkOrders) {
                int chunk = Math.min(chunkOrders, config.orders() - from);
                long[] orderIds = reserve(connection, orderSequence, chunk);
                CopyWriter orders = CopyWriter.buffered();
                for (long orderId : orderIds) {
                    long customer = customerIds[orderRng.nextInt(customerIds.length)];
                    Instant date = config.startingAt().plusSeconds(orderRng.nextLong(windowSeconds + 1));
                    orders.number(orderId).number(customer).timestamp(date).text(Catalog.weightedStatus(orderRng))
                            .money(ZERO_MONEY).endRow();
                }
                // Items are drawn first and numbered after, as their count is known only then.
                ItemRows items = new ItemRows(chunk * ((maxItems + 1) / 2 + 1));
                for (long orderId : orderIds) {
                    int count = itemRng.nextInt(1, maxItems + 1);
                    sampleDistinct(itemRng, variantIds.length, count, picked);
                    for (int k = 0; k < count; k++) {
                        items.add(orderId, variantIds[picked[k]], itemRng.nextInt(1, 4), Catalog.unitPrice(itemRng));
                    }
                }
                CopyWriter itemCopy = items.toCopy(reserve(connection, itemSequence, items.size()));
                loader.submit(List.of(
                        new ParallelCopy.Part(
                                "COPY orders (id, customer_id, order_date, status, total_amount) FROM STDIN", orders),
                        new ParallelCopy.Part(
                                "COPY order_items (id, order_id, variant_id, quantity, unit_price) FROM STDIN", itemCopy)),
                        parts -> {
                            long o = ordersDone.addAndGet(parts.get(0).rows().rows());
                            long i = itemsDone.addAndGet(parts.get(1).rows().rows());
                            long elapsed = System.nanoTime() - started;
                            LOG.info("orders: {}/{} inserted with {} order items in {} ({} orders/s, {} items/s)", o,
                                    config.orders(), i, seconds(elapsed), perSecond(o, elapsed), perSecond(i, elapsed));
                        });
            }
            loader.awaitAll();
            connection.commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading orders", e);
        }
        return new long[]{ordersDone.get(), itemsDone.get()};
    }

    /** The order items of one chunk, as primitive columns until their ids are known. */
    private static final class ItemRows {
        private long[] orderIds;
        private long[] variantIds;
        private int[] quantities;
        private BigDecimal[] prices;
        private int size;

        ItemRows(int capacity) {
            orderIds = new long[capacity];
            variantIds = new long[capacity];
            quantities = new int[capacity];
            prices = new BigDecimal[capacity];
        }

        void add(long orderId, long variantId, int quantity, BigDecimal price) {
            if (size == orderIds.length) {
                int grown = size * 2;
                orderIds = Arrays.copyOf(orderIds, grown);
                variantIds = Arrays.copyOf(variantIds, grown);
                quantities = Arrays.copyOf(quantities, grown);
                prices = Arrays.copyOf(prices, grown);
            }
            orderIds[size] = orderId;
            variantIds[size] = variantId;
            quantities[size] = quantity;
            prices[size] = price;
            size++;
        }

        int size() {
            return size;
        }

        CopyWriter toCopy(long[] ids) throws SQLException {
            CopyWriter copy = CopyWriter.buffered();
            for (int i = 0; i < size; i++) {
                copy.number(ids[i]).number(orderIds[i]).number(variantIds[i]).number(quantities[i]).money(prices[i])
                        .endRow();
            }
            return copy;
        }
    }

    /** {@code n} fresh values of {@code sequence}, ascending. */
    private static long[] reserve(Connection connection, String sequence, int n) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT nextval(?::regclass) FROM generate_series(1, ?)")) {
            ps.setString(1, sequence);
            ps.setInt(2, n);
            long[] ids = new long[n];
            int i = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
            }
            Arrays.sort(ids);
            return ids;
        }
    }

    private static String sequenceOf(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_get_serial_sequence(?, 'id')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    throw new IllegalStateException(table + ".id has no sequence: is it the generator's schema?");
                }
                return rs.getString(1);
            }
        }
    }

    /** Loader connections: one per core, as each one keeps a PostgreSQL backend busy; at most four. */
    static int loaders() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Fills {@code out[0..k)} with k distinct indexes below n. Rejection sampling while k is small
     * next to n (the usual 1–5 of hundreds of variants, no allocation); a partial shuffle otherwise.
     */
    static void sampleDistinct(Random rng, int n, int k, int[] out) {
        if (k * 2 <= n) {
            for (int i = 0; i < k; i++) {
                int candidate;
                boolean seen;
                do {
                    candidate = rng.nextInt(n);
                    seen = false;
                    for (int j = 0; j < i; j++) {
                        if (out[j] == candidate) {
                            seen = true;
                            break;
                        }
                    }
                } while (seen);
                out[i] = candidate;
            }
            return;
        }
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        for (int i = 0; i < k; i++) {
            int j = rng.nextInt(i, n);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
            out[i] = all[i];
        }
    }

    private static String unique(Set<String> taken, String what, Supplier<String> draw) {
        for (int i = 0; i < MAX_UNIQUE_DRAWS; i++) {
            String value = draw.get();
            if (taken.add(value)) {
                return value;
            }
        }
        throw new IllegalStateException("could not draw a new unique " + what + " after " + MAX_UNIQUE_DRAWS
                + " tries (" + taken.size() + " drawn so far): ask for fewer rows");
    }

    private static long[] ids(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            long[] ids = new long[1024];
            int n = 0;
            while (rs.next()) {
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, n * 2);
                }
                ids[n++] = rs.getLong(1);
            }
            return Arrays.copyOf(ids, n);
        }
    }

    private static long update(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            return st.executeLargeUpdate(sql);
        }
    }

    private interface Step {
        long run() throws SQLException;
    }

    private static long timed(String table, String verb, Step step) throws SQLException {
        long started = System.nanoTime();
        long rows = step.run();
        long elapsed = System.nanoTime() - started;
        LOG.info("{}: {} {} in {} ({} rows/s)", table, rows, verb, seconds(elapsed), perSecond(rows, elapsed));
        return rows;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static long perSecond(long rows, long nanos) {
        return nanos == 0 ? 0 : Math.round(rows / (nanos / 1e9));
    }
}
