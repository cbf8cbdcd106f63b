package io.cdcmarts.sink.http;

import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.sink.testing.ChangeEvents;
import io.cdcmarts.sink.testing.TestKafka;
import io.cdcmarts.sink.testing.TestKafka.Message;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cdcmarts.sink.testing.ChangeEvents.row;

/**
 * A small shop's topics under one prefix, in the form the processor writes them: raw and stg
 * orders, the marts the dashboard shows, dead letters and an open failure. Counts what it sent, so
 * a test can wait for the sink to catch up.
 */
final class ShopTopics {

    final String prefix;
    private long sent;
    private long dlqOffset;

    private final ChangeEvents orders = ChangeEvents.table("orders").int64("id").string("status").timestamptz("order_date");
    private final ChangeEvents stgOrders = ChangeEvents.table("orders").int64("id").string("status")
            .timestamptz("order_date").timestamptz("_source_ts").int64("_lsn");
    private final ChangeEvents kpis = ChangeEvents.table("kpis").key("kpi_scope").string("kpi_scope").int64("orders")
            .int64("units").decimal("revenue", 18, 2).decimal("avg_order_value", 18, 2).decimal("units_per_order", 18, 4)
            .int64("customers_with_orders").int64("repeat_customers").decimal("repeat_purchase_rate", 18, 4);
    private final ChangeEvents daily = ChangeEvents.table("sales_daily").key("day").date("day").int64("orders")
            .int64("units").decimal("revenue", 18, 2).decimal("avg_order_value", 18, 2);
    private final ChangeEvents categories = ChangeEvents.table("revenue_by_category").key("category").string("category")
            .int64("products_sold").int64("units").decimal("revenue", 18, 2).decimal("cost", 18, 2).decimal("gross_profit", 18, 2);
    /** mart.top_skus is the sink's view over this mart. */
    private final ChangeEvents variants = ChangeEvents.table("revenue_by_product_variant").key("variant_id").int64("variant_id")
            .string("variant_sku").string("product_name").int64("units").decimal("revenue", 18, 2)
            .decimal("cost", 18, 2).decimal("gross_profit", 18, 2);
    private final ChangeEvents countries = ChangeEvents.table("customers_by_country").key("country").string("country")
            .int64("customers");
    private final ChangeEvents openFailures = ChangeEvents.table("open_failures").string("table").string("key")
            .string("checks").timestamptz("since");

    ShopTopics(String prefix) {
        this.prefix = prefix;
        TestKafka.createTopics(1, topic("raw", "orders"), topic("stg", "orders"), topic("dlq", "orders"),
                topic("dlq", "customers"), topic("mart", "kpis"), topic("mart", "sales_daily"),
                topic("mart", "revenue_by_category"), topic("mart", "revenue_by_product_variant"), topic("mart", "customers_by_country"),
                prefix + ".quality.open_failures");
    }

    String topic(String layer, String name) {
        return prefix + "." + layer + "." + name;
    }

    long sent() {
        return sent;
    }

    /** Three orders in raw and stg, every mart of the dashboard, two dead letters and one open failure. */
    void sendShop() {
        List<Message> m = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            var o = row("id", id, "status", id == 3 ? "pending" : "paid", "order_date", "2024-03-1" + id + "T10:00:00Z");
            m.add(Message.of(topic("raw", "orders"), orders.key(o), orders.insert(o)));
            var s = row("id", id, "status", id == 3 ? "pending" : "paid", "order_date", "2024-03-1" + id + "T10:00:00Z",
                    "_source_ts", Instant.ofEpochMilli(ChangeEvents.sourceTsMs(1000 + id)).toString(), "_lsn", 1000 + id);
            m.add(Message.of(topic("stg", "orders"), stgOrders.key(s), stgOrders.typedRow(s)));
        }
        m.add(mart(kpis, row("kpi_scope", "all", "orders", 2, "units", 5, "revenue", new BigDecimal("1234.50"),
                "avg_order_value", new BigDecimal("617.25"), "units_per_order", new BigDecimal("2.5000"),
                "customers_with_orders", 2, "repeat_customers", 1, "repeat_purchase_rate", new BigDecimal("0.5000"))));
        m.add(mart(daily, row("day", (int) LocalDate.parse("2024-03-11").toEpochDay(), "orders", 1, "units", 2,
                "revenue", new BigDecimal("234.50"), "avg_order_value", new BigDecimal("234.50"))));
        m.add(mart(daily, row("day", (int) LocalDate.parse("2024-03-12").toEpochDay(), "orders", 1, "units", 3,
                "revenue", new BigDecimal("1000.00"), "avg_order_value", new BigDecimal("1000.00"))));
        m.add(mart(categories, row("category", "hoodies", "products_sold", 1, "units", 3, "revenue", new BigDecimal("1000.00"),
                "cost", new BigDecimal("400.00"), "gross_profit", new BigDecimal("600.00"))));
        m.add(mart(categories, row("category", "shoes", "products_sold", 1, "units", 2, "revenue", new BigDecimal("234.50"),
                "cost", new BigDecimal("100.00"), "gross_profit", new BigDecimal("134.50"))));
        m.add(mart(variants, row("variant_id", 7, "variant_sku", "HOOD-BLK-L", "product_name", "Classic Hoodie", "units", 3,
                "revenue", new BigDecimal("1000.00"), "cost", new BigDecimal("400.00"), "gross_profit", new BigDecimal("600.00"))));
        m.add(mart(variants, row("variant_id", 9, "variant_sku", "SHOE-WHT-42", "product_name", "Court Sneaker", "units", 2,
                "revenue", new BigDecimal("234.50"), "cost", new BigDecimal("100.00"), "gross_profit", new BigDecimal("134.50"))));
        m.add(mart(countries, row("country", "Germany", "customers", 2)));
        m.add(mart(countries, row("country", "Peru", "customers", 1)));
        m.add(deadLetter("orders", 3, "accepted_values", "status"));
        m.add(deadLetter("orders", 4, "not_null", "order_date"));
        var failure = row("table", "orders", "key", "{\"id\":3}", "checks", "accepted_values", "since", "2024-03-13T10:00:01Z");
        m.add(new Message(prefix + ".quality.open_failures", null,
                "{\"table\":\"orders\",\"key\":{\"id\":3}}".getBytes(StandardCharsets.UTF_8), openFailures.typedRow(failure)));
        send(m);
    }

    /** One more dead letter of {@code table}, failing {@code check}. */
    void sendDeadLetter(String table, long id, String check, String column) {
        send(List.of(deadLetter(table, id, check, column)));
    }

    /** A mart row on {@code <prefix>.mart.<table of the builder>}. */
    private Message mart(ChangeEvents mart, Map<String, Object> row) {
        return Message.of(topic("mart", mart.table()), mart.key(row), mart.typedRow(row));
    }

    private Message deadLetter(String table, long id, String check, String column) {
        DeadLetter dl = new DeadLetter(table, Json.MAPPER.createObjectNode().put("id", id), null,
                List.of(new DeadLetter.Failure(check, column, null, column + " fails " + check)),
                new DeadLetter.Source(topic("raw", table), 0, 100 + dlqOffset++, 2000 + id, Instant.parse("2024-03-13T10:00:00Z")),
                Instant.parse("2024-03-13T10:00:01Z").plusSeconds(dlqOffset), null);
        return Message.of(topic("dlq", table), ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8), dl.toBytes());
    }

    private void send(List<Message> messages) {
        TestKafka.send(messages);
        sent += messages.size();
    }
}
