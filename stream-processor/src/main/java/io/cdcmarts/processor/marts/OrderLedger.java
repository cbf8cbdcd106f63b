package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.RevenueState.ItemLine;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.common.serialization.Serde;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One order with its items, in the task that owns the order (items are repartitioned by
 * {@code order_id}, so they meet their order here). A revenue order contributes its items per
 * variant (to the revenue marts), itself and its staged items to its day (to {@code sales_daily}
 * and {@code kpis}), and one order to its customer (to the repeat-customer KPIs); any other order
 * contributes nothing. Each change of the order or of one of its lines sends the differences.
 */
final class OrderLedger extends Ledger<Long, OrderLedger.Input, OrderLedger.State> {

    /** What reaches an order's ledger. */
    sealed interface Input {
    }

    /** The order's latest version: its info when it is a revenue order, else null. */
    record OrderChanged(OrderInfo info) implements Input {
    }

    /** One item's latest line in this order; null when it left the order. */
    record LineChanged(long itemId, ItemLine line) implements Input {
    }

    /**
     * @param info  the revenue order's info, or null (not a revenue order, or not known yet)
     * @param lines its items' lines by item id (they may arrive before the order)
     */
    record State(OrderInfo info, TreeMap<Long, ItemLine> lines) {
    }

    OrderLedger(String storeName, StoreType storeType, Serde<State> stateSerde) {
        super(storeName, storeType, IdKeySerde.INSTANCE, stateSerde);
    }

    @Override
    protected State update(Long orderId, State state, Input input) {
        OrderInfo info = state == null ? null : state.info();
        TreeMap<Long, ItemLine> lines = state == null ? new TreeMap<>() : new TreeMap<>(state.lines());
        if (input instanceof OrderChanged order) {
            info = order.info();
        } else if (input instanceof LineChanged line) {
            if (line.line() == null) {
                lines.remove(line.itemId());
            } else {
                lines.put(line.itemId(), line.line());
            }
        }
        return info == null && lines.isEmpty() ? null : new State(info, lines);
    }

    @Override
    protected void emit(Long orderId, State before, State after, Consumer<Share> out) {
        Sums.difference(byVariant(before), byVariant(after)).forEach((variant, d) -> out.accept(new Share.ToVariant(variant, d)));
        Sums.difference(byDay(before), byDay(after)).forEach((day, d) -> out.accept(new Share.ToDay(day, d)));
        Sums.difference(byCustomer(before), byCustomer(after)).forEach((c, d) -> out.accept(new Share.ToCustomer(c, d)));
    }

    private static Map<Long, LineSums> byVariant(State s) {
        Map<Long, LineSums> sums = Sums.map();
        if (s != null && s.info() != null) {
            s.lines().values().forEach(line -> {
                if (line.variantId() != null) {
                    Sums.add(sums, line.variantId(), LineSums.of(line));
                }
            });
        }
        return sums;
    }

    private static Map<LocalDate, DaySums> byDay(State s) {
        if (s == null || s.info() == null) {
            return Map.of();
        }
        long units = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (ItemLine line : s.lines().values()) {
            if (line.staged()) {
                units += line.quantity();
                revenue = revenue.add(line.revenue());
            }
        }
        return Map.of(s.info().day(), new DaySums(1, units, revenue));
    }

    private static Map<Long, Count> byCustomer(State s) {
        return s == null || s.info() == null || s.info().customerId() == null ? Map.of()
                : Map.of(s.info().customerId(), Count.ONE);
    }
}
