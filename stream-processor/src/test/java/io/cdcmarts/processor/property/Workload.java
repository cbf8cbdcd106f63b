package io.cdcmarts.processor.property;

import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.processor.testkit.RawEvents;
import io.cdcmarts.processor.testkit.Row;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random sequence of source changes of all five tables with chaos values (blank names, bad
 * emails, wrong sizes, negative prices, unknown statuses, dangling foreign keys …), and the model
 * of the source tables it leaves: the rows as the source has them after each message.
 *
 * <p>Besides inserts, updates and deletes (each followed by its tombstone) it sends repeated events,
 * snapshot reads, updates with unavailable TOASTed values and malformed messages, none of which
 * change the model.
 */
final class Workload {

    /** One raw topic message, with the source time of its change (a tombstone has its delete's). */
    record Message(String table, byte[] key, byte[] value, long sourceTsMs) {
    }

    static final List<String> TABLES = List.of("customers", "products", "product_variants", "orders", "order_items");
    private static final Map<String, Integer> MAX_ID = Map.of(
            "customers", 30, "products", 12, "product_variants", 40, "orders", 150, "order_items", 420);

    private final Random random;
    private final Map<String, Map<Long, Row>> model = new LinkedHashMap<>();
    private final Map<String, byte[]> lastEvent = new HashMap<>();
    private final List<Message> messages = new ArrayList<>();
    private long lsn = 10_000;
    private long sourceTs = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    /** The largest step of source time between two changes. */
    private int maxStepMs = 5_000;
    private int malformed;

    Workload(Random random) {
        this.random = random;
        TABLES.forEach(t -> model.put(t, new LinkedHashMap<>()));
    }

    Map<String, Map<Long, Row>> model() {
        return model;
    }

    List<Message> messages() {
        return messages;
    }

    int malformedCount() {
        return malformed;
    }

    /** Appends one change (or one non-change) to the sequence; returns the messages it produced. */
    List<Message> next() {
        int before = messages.size();
        int dice = random.nextInt(100);
        String table = pickTable();
        Map<Long, Row> rows = model.get(table);
        if (dice < 2) {
            malformed();
        } else if (dice < 5 && !rows.isEmpty()) {
            repeat(table, anyKey(rows));
        } else if (dice < 7 && !rows.isEmpty()) {
            long id = anyKey(rows);
            emit(table, "r", null, rows.get(id));
        } else if (dice < 10 && !rows.isEmpty() && (table.equals("customers") || table.equals("products"))) {
            toastUpdate(table, anyKey(rows));
        } else if (dice < 22 && !rows.isEmpty()) {
            long id = anyKey(rows);
            Row gone = rows.remove(id);
            emit(table, "d", gone, null);
            messages.add(new Message(table, RawEvents.key(id), null, sourceTs));
        } else if (dice < 55 && !rows.isEmpty()) {
            long id = anyKey(rows);
            Row changed = mutate(table, rows.get(id));
            rows.put(id, changed);
            emit(table, "u", null, changed);
        } else {
            long id = 1 + random.nextInt(MAX_ID.get(table));
            Row row = fresh(table, id);
            String op = rows.containsKey(id) ? "u" : "c";
            rows.put(id, row);
            emit(table, op, null, row);
        }
        return messages.subList(before, messages.size());
    }

    /**
     * The interleaving that broke the old join chain (issue #8): a new order with two items, paid,
     * and for most of them cancelled right after, sometimes paid again or shipped, so the paid
     * version lives only between two commits. Ids start at {@code firstOrderId}, outside the random
     * ones; the items' variants are the random ones.
     */
    void payAndCancel(long firstOrderId, int orders) {
        for (long id = firstOrderId; id < firstOrderId + orders; id++) {
            Row order = pendingOrder(id);
            put("orders", "c", order);
            twoItems(id);
            order = order.with("status", "paid");
            put("orders", "u", order);
            int fate = random.nextInt(10);
            if (fate < 7) {
                put("orders", "u", order.with("status", "cancelled"));
            }
            if (fate == 5 || fate == 6) {
                put("orders", "u", order.with("status", fate == 5 ? "paid" : "shipped"));
            }
            if (fate == 8) {
                long itemId = id * 10 + random.nextInt(2);
                Row gone = model.get("order_items").remove(itemId);
                emit("order_items", "d", gone, null);
                messages.add(new Message("order_items", RawEvents.key(itemId), null, sourceTs));
            }
        }
    }

    /**
     * {@code changes} updates of existing orders, {@code stepMs} of source time at most between two:
     * a busy orders table whose backlog keeps the orders side of a task behind its items side.
     */
    void churnOrders(int changes, int stepMs) {
        int before = maxStepMs;
        maxStepMs = stepMs;
        Map<Long, Row> orders = model.get("orders");
        for (int i = 0; i < changes && !orders.isEmpty(); i++) {
            long id = anyKey(orders);
            Row changed = mutate("orders", orders.get(id));
            orders.put(id, changed);
            emit("orders", "u", null, changed);
        }
        maxStepMs = before;
    }

    /**
     * The reproduction (#8), as a shop's clock spaces it: each new order paid, given two
     * items, and cancelled moments later, every change its own transaction a few milliseconds
     * after the one before ({@link Message#sourceTsMs}). Unlike {@link #payAndCancel}, where source
     * time steps by seconds, the paid version and its cancel are closer than one commit interval
     * of the processor, and the items' changes fall between them.
     */
    void payThenCancelMomentsApart(long firstOrderId, int orders) {
        int before = maxStepMs;
        maxStepMs = 100;
        for (long id = firstOrderId; id < firstOrderId + orders; id++) {
            Row order = pendingOrder(id);
            put("orders", "c", order);
            put("orders", "u", order.with("status", "paid"));
            twoItems(id);
            put("orders", "u", order.with("status", "cancelled"));
        }
        maxStepMs = before;
    }

    /** A new pending order of one of the random customers, its date in the first days of March. */
    private Row pendingOrder(long id) {
        return Row.of("id", id, "customer_id", (long) 1 + random.nextInt(35), "order_date", "2024-03-0" + (1 + random.nextInt(5)) + "T10:00:00Z",
                "status", "pending", "total_amount", money(0, 50_000), "created_at", timestamp(), "updated_at", timestamp());
    }

    /** Items {@code orderId * 10} and {@code orderId * 10 + 1} of the order, of random variants. */
    private void twoItems(long orderId) {
        for (int i = 0; i < 2; i++) {
            int quantity = 1 + random.nextInt(3);
            BigDecimal unitPrice = money(100, 20_000);
            put("order_items", "c", Row.of("id", orderId * 10 + i, "order_id", orderId, "variant_id", (long) 1 + random.nextInt(45),
                    "quantity", quantity, "unit_price", unitPrice, "total_price", unitPrice.multiply(BigDecimal.valueOf(quantity)),
                    "created_at", timestamp()));
        }
    }

    private void put(String table, String op, Row row) {
        model.get(table).put(row.id(), row);
        emit(table, op, null, row);
    }

    private String pickTable() {
        int r = random.nextInt(100);
        if (r < 10) {
            return "customers";
        }
        if (r < 17) {
            return "products";
        }
        if (r < 30) {
            return "product_variants";
        }
        return r < 55 ? "orders" : "order_items";
    }

    private long anyKey(Map<Long, Row> rows) {
        List<Long> keys = new ArrayList<>(rows.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private void emit(String table, String op, Row before, Row after) {
        lsn += 1 + random.nextInt(50);
        sourceTs += random.nextInt(maxStepMs);
        long id = (after != null ? after : before).id();
        byte[] value = RawEvents.event(table, op, before, after, lsn, sourceTs);
        lastEvent.put(table + "/" + id, value);
        messages.add(new Message(table, RawEvents.key(id), value, sourceTs));
    }

    private void repeat(String table, long id) {
        byte[] last = lastEvent.get(table + "/" + id);
        if (last != null) {
            messages.add(new Message(table, RawEvents.key(id), last, sourceTs));
        }
    }

    /** An update that leaves a text column unchanged and unavailable (TOAST): the model keeps it. */
    private void toastUpdate(String table, long id) {
        Row row = mutateNumberOrTime(table, model.get(table).get(id));
        model.get(table).put(id, row);
        String column = table.equals("customers") ? pick("full_name", "email", "country") : pick("name", "category");
        emit(table, "u", null, row.with(column, RawChangeEvent.UNAVAILABLE_VALUE));
    }

    private Row mutateNumberOrTime(String table, Row row) {
        return table.equals("customers") ? row.with("age", age()) : row.with("updated_at", timestamp());
    }

    private void malformed() {
        malformed++;
        String table = pickTable();
        byte[] value = switch (random.nextInt(3)) {
            case 0 -> "garbage {".getBytes(StandardCharsets.UTF_8);
            case 1 -> "{\"payload\":{\"op\":\"c\"}}".getBytes(StandardCharsets.UTF_8);
            default -> new byte[]{0, 1, 2, 3};
        };
        messages.add(new Message(table, RawEvents.key(1 + random.nextInt(5)), value, sourceTs));
    }

    // ---- values ---------------------------------------------------------------------------

    private Row fresh(String table, long id) {
        return switch (table) {
            case "customers" -> Row.of("id", id, "full_name", fullName(), "email", email(id), "country", country(),
                    "age", age(), "created_at", timestamp(), "updated_at", timestamp());
            case "products" -> Row.of("id", id, "name", productName(), "category", category(), "sku", sku(),
                    "created_at", timestamp(), "updated_at", timestamp());
            case "product_variants" -> Row.of("id", id, "product_id", (long) 1 + random.nextInt(14),
                    "variant_sku", chance(3) ? null : pick("var-" + id, " VAR-" + id + " "),
                    "color", pick("Red", " Blue ", "Black", null), "size", size(),
                    "manufacturing_price", price(), "selling_price", price(), "stock_quantity", chance(6) ? -1 : random.nextInt(200),
                    "is_active", random.nextBoolean(), "created_at", timestamp(), "updated_at", timestamp());
            case "orders" -> Row.of("id", id, "customer_id", chance(3) ? null : (long) 1 + random.nextInt(35),
                    "order_date", orderDate(), "status", status(), "total_amount", money(0, 50_000),
                    "created_at", timestamp(), "updated_at", timestamp());
            case "order_items" -> {
                int quantity = chance(8) ? pick(0, -1) : 1 + random.nextInt(3);
                BigDecimal unitPrice = chance(8) ? pick(new BigDecimal("0.00"), new BigDecimal("-1.00")) : money(1, 20_000);
                yield Row.of("id", id, "order_id", (long) 1 + random.nextInt(170), "variant_id", (long) 1 + random.nextInt(45),
                        "quantity", quantity, "unit_price", unitPrice,
                        "total_price", unitPrice.multiply(BigDecimal.valueOf(quantity)), "created_at", timestamp());
            }
            default -> throw new IllegalArgumentException(table);
        };
    }

    /** Changes one or two columns of a row, as the source's updates do. */
    private Row mutate(String table, Row row) {
        Row fresh = fresh(table, row.id());
        List<String> columns = new ArrayList<>(fresh.values().keySet());
        columns.remove("id");
        Row changed = row;
        for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            String column = columns.get(random.nextInt(columns.size()));
            changed = changed.with(column, fresh.get(column));
        }
        if (table.equals("order_items")) {
            changed = changed.with("total_price", ((BigDecimal) changed.get("unit_price"))
                    .multiply(BigDecimal.valueOf((Integer) changed.get("quantity"))));
        }
        return changed;
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    private String fullName() {
        return chance(6) ? pick("   ", null, "") : pick("Ada Lovelace", "  Grace Hopper ", "Alan Turing", "Edsger\tDijkstra");
    }

    private String email(long id) {
        return chance(8) ? pick("not-an-email", "a@b", null, " ") : pick("u" + id + "@example.com", " U" + id + "@Example.COM ");
    }

    private String country() {
        return chance(5) ? pick(" ", null) : pick("France", " France ", "Japan", "Brazil", "Kenya");
    }

    private Object age() {
        if (chance(2)) {
            return "thirty"; // a wrong type
        }
        return chance(6) ? pick(-1, 121, null) : random.nextInt(95);
    }

    private String productName() {
        return chance(6) ? pick(" ", null) : pick("Runner", " Classic Tee ", "Cozy Hoodie", "Cap");
    }

    private String category() {
        return pick("t-shirts", "hoodies", "shoes", "shoes", "accessories", "jackets", " Shoes ", "HOODIES", "gadgets", null);
    }

    private String sku() {
        return chance(4) ? null : "sku-" + random.nextInt(1000);
    }

    private String size() {
        return pick("S", "M", "L", "XL", " m ", "xs", "35", "40", "42", "48", "49", "34", "42.0", null);
    }

    private BigDecimal price() {
        return chance(6) ? pick(new BigDecimal("0.00"), new BigDecimal("-5.00")) : money(100, 8_000);
    }

    private BigDecimal money(int minCents, int maxCents) {
        return BigDecimal.valueOf(minCents + random.nextInt(maxCents - minCents + 1), 2);
    }

    private String orderDate() {
        if (chance(3)) {
            return null;
        }
        Instant at = Instant.parse("2024-03-01T00:00:00Z").plusSeconds(random.nextInt(5 * 86_400));
        return chance(30) ? at.atOffset(ZoneOffset.ofHours(2)).toString() : at.toString();
    }

    private String status() {
        return pick("pending", "paid", "paid", "shipped", "cancelled", " paid ", "PAID", "lost", null);
    }

    private String timestamp() {
        return Instant.ofEpochMilli(sourceTs).toString();
    }
}
