package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.ItemLine;
import io.cdcmarts.processor.quality.Validated;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends each order item's current line to its order's ledger, keyed by the item: the order sees
 * the line set or, when the item moves to another order or goes, cleared. It remembers the line it
 * sent last, so a move clears the line at the order it really sent it to, and a change that leaves
 * the line as it was sends nothing.
 *
 * <p>Its store has no record cache: an item changes about once per commit interval (a bulk load
 * writes each item once), so a cache would coalesce nothing and only add its own copy and flush.
 */
final class ItemRouter extends Ledger<Long, Validated, ItemLine> {

    ItemRouter(String storeName, StoreType storeType, Serde<ItemLine> lineSerde) {
        super(storeName, storeType, IdKeySerde.INSTANCE, lineSerde, false);
    }

    @Override
    protected ItemLine update(Long itemId, ItemLine line, Validated item) {
        if (item == null) {
            return null;
        }
        ItemLine now = ItemLine.of(item);
        return now.orderId() == null ? null : now; // an item without an order counts nowhere
    }

    @Override
    protected void emit(Long itemId, ItemLine before, ItemLine after, Consumer<Share> out) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before != null && (after == null || !before.orderId().equals(after.orderId()))) {
            out.accept(new Share.ToOrder(before.orderId(), itemId, null));
        }
        if (after != null) {
            out.accept(new Share.ToOrder(after.orderId(), itemId, after));
        }
    }
}
