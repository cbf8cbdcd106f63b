package io.cdcmarts.sink.testing;

import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.sink.testing.TestKafka.Message;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.cdcmarts.sink.testing.ChangeEvents.row;

/**
 * A workload on one raw topic whose final state is known in advance: inserts, updates that leave a
 * TOASTed column out, deletes with their tombstones.
 */
public final class OrderItems {

    private final String topic;
    private final ChangeEvents items = ChangeEvents.table("order_items").int64("id").int64("order_id").int32("quantity")
            .decimal("unit_price", 10, 2).timestamptz("created_at").string("comment");

    public OrderItems(String topic) {
        this.topic = topic;
    }

    private static Map<String, Object> item(long id, int quantity, String comment) {
        return row("id", id, "order_id", id / 3, "quantity", quantity, "unit_price", new BigDecimal(id + ".25"),
                "created_at", "2024-03-10T12:00:00Z", "comment", comment);
    }

    /** Inserts of ids [from, to), then an update of every even one (comment left out) and a delete of every fifth. */
    public List<Message> changes(long from, long to) {
        List<Message> out = new ArrayList<>();
        for (long id = from; id < to; id++) {
            var r = item(id, 1, "comment " + id);
            out.add(Message.of(topic, items.key(r), items.insert(r)));
        }
        for (long id = from; id < to; id++) {
            var before = item(id, 1, "comment " + id);
            if (id % 5 == 0) {
                out.add(Message.of(topic, items.key(before), items.delete(before)));
                out.add(Message.of(topic, items.key(before), null));
            } else if (id % 2 == 0) {
                var after = item(id, (int) id, RawChangeEvent.UNAVAILABLE_VALUE);
                out.add(Message.of(topic, items.key(after), items.update(before, after)));
            }
        }
        return out;
    }

    /** The source's state after the changes of ids [0, to): id → quantity|unit_price|comment. */
    public static Map<Long, String> expected(long to) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (long id = 0; id < to; id++) {
            if (id % 5 != 0) {
                out.put(id, (id % 2 == 0 ? id : 1) + "|" + id + ".25|comment " + id);
            }
        }
        return out;
    }

    /** What raw.order_items holds, in the form of {@link #expected}. */
    public static Map<Long, String> in(Connection c) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : Rows.query(c, "SELECT id, quantity, unit_price, comment FROM raw.order_items ORDER BY id")) {
            out.put((Long) r.get("id"), r.get("quantity") + "|" + r.get("unit_price") + "|" + r.get("comment"));
        }
        return out;
    }
}
