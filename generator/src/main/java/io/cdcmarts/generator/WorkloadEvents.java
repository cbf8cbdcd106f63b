package io.cdcmarts.generator;

import net.datafaker.Faker;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The SQL of each {@link EventKind}: what one event of the continuous workload reads and writes,
 * within the caller's transaction. Targets are drawn at random but reproducibly: a random point in
 * the table's id range, then the first row at or after it that qualifies, through the primary key
 * index, so picking stays cheap on tables of millions of rows.
 *
 * <p>Chaos events remember how to undo the damage ({@link Fix}); the workload later applies some
 * of those fixes, so rows also come back into the staging layer.
 */
final class WorkloadEvents {

    /** How to give a damaged row its good value back; tables and columns come from this class only. */
    record Fix(String table, long id, String column, Object goodValue) {
    }

    private static final String LETTER_SIZED_SQL = "('t-shirts', 'hoodies', 'accessories', 'jackets')";
    private static final String VALID_STATUS_SQL = "('pending', 'paid', 'cancelled', 'shipped')";
    private static final List<String> BAD_STATUSES = List.of("refunded", "returned", "on-hold", "lost");
    private static final List<String> UNKNOWN_CATEGORIES = List.of("gadgets", "electronics", "sneakers");
    private static final BigDecimal MIN_ITEM_PRICE = new BigDecimal("1.00");

    private final Random rng;
    private final Faker faker;
    private final int maxItemsPerOrder;
    private final List<Fix> earnedFixes = new ArrayList<>();
    private Connection connection;

    WorkloadEvents(Random rng, Faker faker, int maxItemsPerOrder) {
        this.rng = rng;
        this.faker = faker;
        this.maxItemsPerOrder = maxItemsPerOrder;
    }

    /** The connection the next events run on (replaced after a reconnect). */
    void use(Connection connection) {
        this.connection = connection;
    }

    /** The fixes earned by the events since the last call; to be kept only once their transaction committed. */
    List<Fix> takeEarnedFixes() {
        List<Fix> fixes = List.copyOf(earnedFixes);
        earnedFixes.clear();
        return fixes;
    }

    /**
     * Applies one event of {@code kind} (not {@link EventKind#FIX}, see {@link #applyFix}).
     *
     * @return false when the database holds nothing the event could apply to (nothing was written)
     */
    boolean apply(EventKind kind) throws SQLException {
        return switch (kind) {
            case NEW_ORDER -> newOrder();
            case ORDER_PAID -> moveStatus("t.status = 'pending'", "paid");
            case ORDER_SHIPPED -> moveStatus("t.status = 'paid'", "shipped");
            case ORDER_CANCELLED -> moveStatus("t.status IN ('pending', 'paid')", "cancelled");
            case VARIANT_PRICE -> variantPrice();
            case ITEM_PRICE -> itemPrice();
            case STOCK -> stock();
            case ITEM_QUANTITY -> itemQuantity();
            case ITEM_MOVED -> itemMoved();
            case ORDER_REDATED -> orderRedated();
            case ORDER_RECUSTOMER -> orderRecustomer();
            case PRODUCT_RECATEGORIZED -> productRecategorized();
            case CUSTOMER_UPDATED -> customerUpdated();
            case NEW_CUSTOMER -> {
                insertCustomer(faker.name().fullName(), faker.address().country(), rng.nextInt(18, 71));
                yield true;
            }
            case NEW_PRODUCT -> newProduct();
            case NEW_VARIANT -> newVariant();
            case DELETE_ITEM -> deleteItem();
            case DELETE_ORDER -> delete("orders", "");
            case DELETE_VARIANT -> delete("product_variants",
                    "NOT EXISTS (SELECT 1 FROM order_items i WHERE i.variant_id = t.id)");
            case DELETE_CUSTOMER -> delete("customers",
                    "NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = t.id)");
            case BAD_SIZE -> badSize();
            case BAD_CUSTOMER -> badCustomer();
            case BAD_EMAIL -> badEmail();
            case BAD_PRODUCT -> badProduct();
            case BAD_STATUS -> badStatus();
            case BAD_ITEM -> badItem();
            case BAD_VARIANT_NUMBERS -> badVariantNumbers();
            case MESSY_TEXT -> messyText();
            case FIX -> throw new IllegalArgumentException("a fix is applied with applyFix");
        };
    }

    /** Gives a damaged row its good value back; false when the row is gone. */
    boolean applyFix(Fix fix) throws SQLException {
        boolean items = fix.table().equals("order_items");
        String sql = "UPDATE " + fix.table() + " SET " + fix.column() + " = ?"
                + (items ? "" : ", updated_at = now()") + " WHERE id = ?";
        boolean fixed = update(sql, fix.goodValue(), fix.id()) > 0;
        if (fixed && items) {
            refreshTotal(requireLong("SELECT order_id FROM order_items WHERE id = ?", fix.id()));
        }
        return fixed;
    }

    // ---------------------------------------------------------------- ordinary events

    private boolean newOrder() throws SQLException {
        OptionalLong customer = pick("customers", "");
        if (customer.isEmpty()) {
            return false;
        }
        int wanted = rng.nextInt(1, maxItemsPerOrder + 1);
        Set<Long> variants = new LinkedHashSet<>();
        for (int tries = 0; variants.size() < wanted && tries < wanted * 3; tries++) {
            pick("product_variants", "t.is_active").ifPresent(variants::add);
        }
        if (variants.isEmpty()) {
            return false;
        }
        // A shop charges the price of the day; a variant whose price is broken must not break the order too.
        Map<Long, BigDecimal> prices = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, GREATEST(selling_price, ?) FROM product_variants WHERE id = ANY (?)")) {
            ps.setBigDecimal(1, MIN_ITEM_PRICE);
            Array ids = connection.createArrayOf("bigint", variants.toArray());
            ps.setArray(2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    prices.put(rs.getLong(1), rs.getBigDecimal(2));
                }
            }
        }
        // A variant deleted by someone else since the pick simply drops out of the order.
        variants.retainAll(prices.keySet());
        if (variants.isEmpty()) {
            return false;
        }
        String status = rng.nextInt(100) < 85 ? "pending" : "paid";
        List<long[]> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (long variant : variants) {
            int quantity = rng.nextInt(1, 4);
            lines.add(new long[]{variant, quantity});
            total = total.add(prices.get(variant).multiply(BigDecimal.valueOf(quantity)));
        }
        long orderId = queryLong("INSERT INTO orders (customer_id, order_date, status, total_amount)"
                + " VALUES (?, now(), ?, ?) RETURNING id", customer.getAsLong(), status, total).orElseThrow();
        for (long[] line : lines) {
            update("INSERT INTO order_items (order_id, variant_id, quantity, unit_price) VALUES (?, ?, ?, ?)",
                    orderId, line[0], (int) line[1], prices.get(line[0]));
            update("UPDATE product_variants SET stock_quantity = GREATEST(stock_quantity - ?, 0), updated_at = now()"
                    + " WHERE id = ?", (int) line[1], line[0]);
        }
        return true;
    }

    private boolean moveStatus(String where, String to) throws SQLException {
        OptionalLong order = pick("orders", where);
        if (order.isEmpty()) {
            return false;
        }
        update("UPDATE orders SET status = ?, updated_at = now() WHERE id = ?", to, order.getAsLong());
        return true;
    }

    private boolean variantPrice() throws SQLException {
        OptionalLong variant = pick("product_variants", "");
        if (variant.isEmpty()) {
            return false;
        }
        boolean selling = rng.nextInt(10) < 7;
        String column = selling ? "selling_price" : "manufacturing_price";
        BigDecimal price = queryDecimal("SELECT " + column + " FROM product_variants WHERE id = ?", variant.getAsLong());
        update("UPDATE product_variants SET " + column + " = ?, updated_at = now() WHERE id = ?",
                Catalog.nudge(rng, price, selling ? 0.15 : 0.10), variant.getAsLong());
        return true;
    }

    private boolean itemPrice() throws SQLException {
        OptionalLong item = pick("order_items", "");
        if (item.isEmpty()) {
            return false;
        }
        BigDecimal price = queryDecimal("SELECT unit_price FROM order_items WHERE id = ?", item.getAsLong());
        update("UPDATE order_items SET unit_price = ? WHERE id = ?", Catalog.nudge(rng, price, 0.20), item.getAsLong());
        refreshTotalOfItem(item.getAsLong());
        return true;
    }

    private boolean stock() throws SQLException {
        OptionalLong variant = pick("product_variants", "");
        if (variant.isEmpty()) {
            return false;
        }
        long current = requireLong("SELECT stock_quantity FROM product_variants WHERE id = ?", variant.getAsLong());
        long stock = rng.nextBoolean() ? Math.max(current, 0) + rng.nextInt(10, 101) : rng.nextInt(0, 201);
        update("UPDATE product_variants SET stock_quantity = ?, updated_at = now() WHERE id = ?",
                (int) Math.min(stock, Integer.MAX_VALUE), variant.getAsLong());
        return true;
    }

    private boolean itemQuantity() throws SQLException {
        OptionalLong item = pick("order_items", "");
        if (item.isEmpty()) {
            return false;
        }
        long current = requireLong("SELECT quantity FROM order_items WHERE id = ?", item.getAsLong());
        int quantity = rng.nextInt(1, 6);
        if (quantity == current) {
            quantity = quantity % 5 + 1;
        }
        update("UPDATE order_items SET quantity = ? WHERE id = ?", quantity, item.getAsLong());
        refreshTotalOfItem(item.getAsLong());
        return true;
    }

    private boolean itemMoved() throws SQLException {
        OptionalLong item = pick("order_items", "");
        if (item.isEmpty()) {
            return false;
        }
        long orderId = requireLong("SELECT order_id FROM order_items WHERE id = ?", item.getAsLong());
        OptionalLong variant = pick("product_variants", "t.is_active AND NOT EXISTS"
                + " (SELECT 1 FROM order_items i WHERE i.order_id = ? AND i.variant_id = t.id)", orderId);
        if (variant.isEmpty()) {
            return false;
        }
        update("UPDATE order_items SET variant_id = ? WHERE id = ?", variant.getAsLong(), item.getAsLong());
        return true;
    }

    private boolean orderRedated() throws SQLException {
        OptionalLong order = pick("orders", "");
        if (order.isEmpty()) {
            return false;
        }
        int days = (rng.nextBoolean() ? 1 : -1) * rng.nextInt(1, 4);
        update("UPDATE orders SET order_date = order_date + make_interval(days => ?), updated_at = now() WHERE id = ?",
                days, order.getAsLong());
        return true;
    }

    private boolean orderRecustomer() throws SQLException {
        OptionalLong order = pick("orders", "");
        if (order.isEmpty()) {
            return false;
        }
        long current = requireLong("SELECT customer_id FROM orders WHERE id = ?", order.getAsLong());
        OptionalLong customer = pick("customers", "t.id <> ?", current);
        if (customer.isEmpty()) {
            return false;
        }
        update("UPDATE orders SET customer_id = ?, updated_at = now() WHERE id = ?", customer.getAsLong(),
                order.getAsLong());
        return true;
    }

    /** Only among letter-sized categories: a move to or from shoes would make every variant's size invalid. */
    private boolean productRecategorized() throws SQLException {
        OptionalLong product = pick("products", "t.category IN " + LETTER_SIZED_SQL);
        if (product.isEmpty()) {
            return false;
        }
        String current = queryString("SELECT category FROM products WHERE id = ?", product.getAsLong());
        List<String> others = Catalog.LETTER_SIZED_CATEGORIES.stream().filter(c -> !c.equals(current)).toList();
        update("UPDATE products SET category = ?, updated_at = now() WHERE id = ?", Catalog.pick(rng, others),
                product.getAsLong());
        return true;
    }

    private boolean customerUpdated() throws SQLException {
        OptionalLong customer = pick("customers", "");
        if (customer.isEmpty()) {
            return false;
        }
        long age = requireLong("SELECT age FROM customers WHERE id = ?", customer.getAsLong());
        if (rng.nextBoolean() && age < 100) {
            update("UPDATE customers SET age = age + 1, updated_at = now() WHERE id = ?", customer.getAsLong());
        } else {
            update("UPDATE customers SET country = ?, updated_at = now() WHERE id = ?", faker.address().country(),
                    customer.getAsLong());
        }
        return true;
    }

    private boolean newProduct() throws SQLException {
        String category = Catalog.pick(rng, Catalog.CATEGORIES);
        String name = Catalog.capitalize(faker.lorem().word()) + " " + category;
        long productId = insertProduct(name, category);
        int variants = rng.nextInt(1, 5);
        for (int i = 0; i < variants; i++) {
            insertVariant(productId, Catalog.validSize(rng, category));
        }
        return true;
    }

    private boolean newVariant() throws SQLException {
        OptionalLong product = pick("products", "");
        if (product.isEmpty()) {
            return false;
        }
        String category = queryString("SELECT category FROM products WHERE id = ?", product.getAsLong());
        insertVariant(product.getAsLong(), Catalog.validSize(rng, category));
        return true;
    }

    /** Only from orders that keep another item: an order with no items at all is not what a shop has. */
    private boolean deleteItem() throws SQLException {
        OptionalLong item = pick("order_items",
                "EXISTS (SELECT 1 FROM order_items o WHERE o.order_id = t.order_id AND o.id <> t.id)");
        if (item.isEmpty()) {
            return false;
        }
        long orderId = requireLong("DELETE FROM order_items WHERE id = ? RETURNING order_id", item.getAsLong());
        refreshTotal(orderId);
        return true;
    }

    private boolean delete(String table, String where) throws SQLException {
        OptionalLong row = pick(table, where);
        if (row.isEmpty()) {
            return false;
        }
        update("DELETE FROM " + table + " WHERE id = ?", row.getAsLong());
        return true;
    }

    // ---------------------------------------------------------------- chaos events

    private boolean badSize() throws SQLException {
        if (rng.nextBoolean()) {
            OptionalLong variant = pick("product_variants", "");
            if (variant.isEmpty()) {
                return false;
            }
            String category = queryString("SELECT p.category FROM product_variants v JOIN products p"
                    + " ON p.id = v.product_id WHERE v.id = ?", variant.getAsLong());
            String bad = rng.nextInt(10) == 0 ? null : Catalog.invalidSize(rng, category);
            update("UPDATE product_variants SET size = ?, updated_at = now() WHERE id = ?", bad, variant.getAsLong());
            earn("product_variants", variant.getAsLong(), "size", Catalog.validSize(rng, category));
            return true;
        }
        OptionalLong product = pick("products", "");
        if (product.isEmpty()) {
            return false;
        }
        String category = queryString("SELECT category FROM products WHERE id = ?", product.getAsLong());
        long variant = insertVariant(product.getAsLong(), Catalog.invalidSize(rng, category));
        earn("product_variants", variant, "size", Catalog.validSize(rng, category));
        return true;
    }

    private boolean badCustomer() throws SQLException {
        int flaw = rng.nextInt(3);
        String column = switch (flaw) {
            case 0 -> "full_name";
            case 1 -> "country";
            default -> "age";
        };
        Object bad = flaw == 2 ? (Object) rng.nextInt(121, 151) : (rng.nextBoolean() ? "" : "   ");
        if (rng.nextBoolean()) {
            OptionalLong customer = pick("customers", "");
            if (customer.isEmpty()) {
                return false;
            }
            Object good = queryObject("SELECT " + column + " FROM customers WHERE id = ?", customer.getAsLong());
            update("UPDATE customers SET " + column + " = ?, updated_at = now() WHERE id = ?", bad,
                    customer.getAsLong());
            earn("customers", customer.getAsLong(), column, good);
            return true;
        }
        String name = flaw == 0 ? (String) bad : faker.name().fullName();
        String country = flaw == 1 ? (String) bad : faker.address().country();
        int age = flaw == 2 ? (Integer) bad : rng.nextInt(18, 71);
        long customer = insertCustomer(name, country, age);
        Object good = switch (flaw) {
            case 0 -> faker.name().fullName();
            case 1 -> faker.address().country();
            default -> rng.nextInt(18, 71);
        };
        earn("customers", customer, column, good);
        return true;
    }

    private boolean badEmail() throws SQLException {
        OptionalLong customer = pick("customers", "");
        if (customer.isEmpty()) {
            return false;
        }
        String email = queryString("SELECT email FROM customers WHERE id = ?", customer.getAsLong());
        int at = email.indexOf('@');
        String local = at < 0 ? email : email.substring(0, at);
        String domain = at < 0 ? "example.com" : email.substring(at + 1);
        String bad = switch (rng.nextInt(4)) {
            case 0 -> local + "(at)" + domain;
            case 1 -> local + "@" + domain.replace(".", "");
            case 2 -> local + " @" + domain;
            default -> local + "@@" + domain;
        };
        update("UPDATE customers SET email = ?, updated_at = now() WHERE id = ?", bad, customer.getAsLong());
        earn("customers", customer.getAsLong(), "email", email);
        return true;
    }

    private boolean badProduct() throws SQLException {
        OptionalLong product = pick("products", "");
        if (product.isEmpty()) {
            return false;
        }
        long id = product.getAsLong();
        int flaw = rng.nextInt(3);
        if (flaw == 0) {
            String name = queryString("SELECT name FROM products WHERE id = ?", id);
            update("UPDATE products SET name = ?, updated_at = now() WHERE id = ?", rng.nextBoolean() ? "" : "  ", id);
            earn("products", id, "name", name);
            return true;
        }
        String category = queryString("SELECT category FROM products WHERE id = ?", id);
        String bad = flaw == 1 ? Catalog.pick(rng, UNKNOWN_CATEGORIES)
                // across the shoes boundary: the category stays valid, every variant's size does not
                : Catalog.isShoes(category) ? Catalog.pick(rng, Catalog.LETTER_SIZED_CATEGORIES) : Catalog.SHOES;
        update("UPDATE products SET category = ?, updated_at = now() WHERE id = ?", bad, id);
        earn("products", id, "category", category);
        return true;
    }

    private boolean badStatus() throws SQLException {
        OptionalLong order = pick("orders", "t.status IN " + VALID_STATUS_SQL);
        if (order.isEmpty()) {
            return false;
        }
        String status = queryString("SELECT status FROM orders WHERE id = ?", order.getAsLong());
        update("UPDATE orders SET status = ?, updated_at = now() WHERE id = ?", Catalog.pick(rng, BAD_STATUSES),
                order.getAsLong());
        earn("orders", order.getAsLong(), "status", status);
        return true;
    }

    private boolean badItem() throws SQLException {
        OptionalLong item = pick("order_items", "");
        if (item.isEmpty()) {
            return false;
        }
        long id = item.getAsLong();
        if (rng.nextBoolean()) {
            long quantity = requireLong("SELECT quantity FROM order_items WHERE id = ?", id);
            update("UPDATE order_items SET quantity = ? WHERE id = ?", rng.nextInt(-1, 1), id);
            earn("order_items", id, "quantity", (int) quantity);
        } else {
            BigDecimal price = queryDecimal("SELECT unit_price FROM order_items WHERE id = ?", id);
            BigDecimal bad = rng.nextBoolean() ? BigDecimal.ZERO.setScale(2) : price.abs().negate();
            update("UPDATE order_items SET unit_price = ? WHERE id = ?", bad, id);
            earn("order_items", id, "unit_price", price);
        }
        refreshTotalOfItem(id);
        return true;
    }

    private boolean badVariantNumbers() throws SQLException {
        OptionalLong variant = pick("product_variants", "");
        if (variant.isEmpty()) {
            return false;
        }
        long id = variant.getAsLong();
        String column = switch (rng.nextInt(3)) {
            case 0 -> "manufacturing_price";
            case 1 -> "selling_price";
            default -> "stock_quantity";
        };
        Object good = queryObject("SELECT " + column + " FROM product_variants WHERE id = ?", id);
        Object bad = column.equals("stock_quantity") ? (Object) (-rng.nextInt(1, 11))
                : rng.nextBoolean() ? BigDecimal.ZERO.setScale(2) : ((BigDecimal) good).abs().negate();
        update("UPDATE product_variants SET " + column + " = ?, updated_at = now() WHERE id = ?", bad, id);
        earn("product_variants", id, column, good);
        return true;
    }

    /**
     * Text that fails nothing once staging has cleaned it (trimmed; email and category lower-cased;
     * skus and size upper-cased), to prove the cleaning is there.
     */
    private boolean messyText() throws SQLException {
        switch (rng.nextInt(7)) {
            case 0 -> {
                return messy("customers", "email", "", v -> "  " + v.toUpperCase(Locale.ROOT) + " ");
            }
            case 1 -> {
                return messy("customers", "full_name", "", v -> "  " + v + " ");
            }
            case 2 -> {
                return messy("products", "category", "t.category IN ('t-shirts', 'hoodies', 'shoes', 'accessories', 'jackets')",
                        v -> "  " + Catalog.capitalize(v) + " ");
            }
            case 3 -> {
                return messy("products", "sku", "", v -> v.toLowerCase(Locale.ROOT));
            }
            case 4 -> {
                return messy("product_variants", "variant_sku", "", v -> v.toLowerCase(Locale.ROOT));
            }
            case 5 -> {
                return messy("product_variants", "size", "t.size IS NOT NULL",
                        v -> " " + v.toLowerCase(Locale.ROOT) + " ");
            }
            default -> {
                return messy("orders", "status", "t.status IN " + VALID_STATUS_SQL, v -> " " + v + " ");
            }
        }
    }

    private boolean messy(String table, String column, String where, UnaryOperator<String> mess)
            throws SQLException {
        OptionalLong row = pick(table, where);
        if (row.isEmpty()) {
            return false;
        }
        String value = queryString("SELECT " + column + " FROM " + table + " WHERE id = ?", row.getAsLong());
        update("UPDATE " + table + " SET " + column + " = ?, updated_at = now() WHERE id = ?", mess.apply(value),
                row.getAsLong());
        return true;
    }

    // ---------------------------------------------------------------- inserts shared by several events

    /** Inserts a customer with a fresh email; a taken email gets a numbered local part instead. */
    private long insertCustomer(String fullName, String country, int age) throws SQLException {
        String email = faker.internet().emailAddress();
        for (int attempt = 0; ; attempt++) {
            OptionalLong id = queryLong("INSERT INTO customers (full_name, email, country, age) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (email) DO NOTHING RETURNING id", fullName, email, country, age);
            if (id.isPresent()) {
                return id.getAsLong();
            }
            int at = email.indexOf('@');
            email = email.substring(0, at).replaceAll("\\.\\d+$", "") + "." + rng.nextInt(1, 100_000)
                    + email.substring(at);
            if (attempt > 100) {
                throw new SQLException("no free email found after 100 tries");
            }
        }
    }

    private long insertProduct(String name, String category) throws SQLException {
        for (int attempt = 0; attempt < 100; attempt++) {
            OptionalLong id = queryLong("INSERT INTO products (name, category, sku) VALUES (?, ?, ?)"
                    + " ON CONFLICT (sku) DO NOTHING RETURNING id", name, category, faker.bothify("SKU-####-??", true));
            if (id.isPresent()) {
                return id.getAsLong();
            }
        }
        throw new SQLException("no free product sku found after 100 tries");
    }

    private long insertVariant(long productId, String size) throws SQLException {
        String color = Catalog.pick(rng, Catalog.COLORS);
        BigDecimal manufacturing = Catalog.manufacturingPrice(rng);
        BigDecimal selling = Catalog.sellingPrice(rng, manufacturing);
        int stock = rng.nextInt(0, 201);
        for (int attempt = 0; attempt < 100; attempt++) {
            OptionalLong id = queryLong("INSERT INTO product_variants (product_id, variant_sku, color, size,"
                            + " manufacturing_price, selling_price, stock_quantity, is_active)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, TRUE) ON CONFLICT (variant_sku) DO NOTHING RETURNING id",
                    productId, faker.bothify("VAR-####-??", true), color, size, manufacturing, selling, stock);
            if (id.isPresent()) {
                return id.getAsLong();
            }
        }
        throw new SQLException("no free variant sku found after 100 tries");
    }

    /** Keeps orders.total_amount the sum of its items once the workload has touched them. */
    private void refreshTotal(long orderId) throws SQLException {
        update("UPDATE orders SET total_amount = (SELECT COALESCE(SUM(total_price), 0) FROM order_items"
                + " WHERE order_id = ?), updated_at = now() WHERE id = ?", orderId, orderId);
    }

    private void refreshTotalOfItem(long itemId) throws SQLException {
        refreshTotal(requireLong("SELECT order_id FROM order_items WHERE id = ?", itemId));
    }

    private void earn(String table, long id, String column, Object goodValue) {
        earnedFixes.add(new Fix(table, id, column, goodValue));
    }

    // ---------------------------------------------------------------- JDBC helpers

    /**
     * A random row of {@code table} (alias {@code t}) that satisfies {@code where}: the first at or
     * after a random id, else the last before it. Never an order dated before
     * {@link StreamingWorkload#ORDERS_LEFT_ALONE_BEFORE}.
     */
    OptionalLong pick(String table, String where, Object... params) throws SQLException {
        long min;
        long max;
        try (PreparedStatement ps = connection.prepareStatement("SELECT min(id), max(id) FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            min = rs.getLong(1);
            if (rs.wasNull()) {
                return OptionalLong.empty();
            }
            max = rs.getLong(2);
        }
        long pivot = min + rng.nextLong(max - min + 1);
        String base = "SELECT t.id FROM " + table + " t WHERE " + (where.isEmpty() ? "TRUE" : "(" + where + ")")
                + (table.equals("orders") ? " AND t.order_date >= TIMESTAMPTZ '" + StreamingWorkload.ORDERS_LEFT_ALONE_BEFORE + " 00:00:00+00'" : "");
        Object[] args = new Object[params.length + 1];
        System.arraycopy(params, 0, args, 0, params.length);
        args[params.length] = pivot;
        OptionalLong after = queryLong(base + " AND t.id >= ? ORDER BY t.id LIMIT 1", args);
        return after.isPresent() ? after : queryLong(base + " AND t.id < ? ORDER BY t.id DESC LIMIT 1", args);
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        }
    }

    private OptionalLong queryLong(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
    }

    /** The single value of a row the workload just picked; a concurrent delete makes the event fail, not the workload. */
    private long requireLong(String sql, Object... args) throws SQLException {
        return ((Number) queryObject(sql, args)).longValue();
    }

    private String queryString(String sql, Object... args) throws SQLException {
        return (String) queryObject(sql, args);
    }

    private BigDecimal queryDecimal(String sql, Object... args) throws SQLException {
        return (BigDecimal) queryObject(sql, args);
    }

    private Object queryObject(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("row vanished under the workload: " + sql);
            }
            return rs.getObject(1);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }
}
