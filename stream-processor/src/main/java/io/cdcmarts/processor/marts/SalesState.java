package io.cdcmarts.processor.marts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.processor.quality.Staging;
import io.cdcmarts.processor.raw.Rows;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The state of the sales marts ({@code sales_daily}, {@code kpis}), built from staging orders and
 * items. Each aggregate counts its contributors and is removed (null) when the last one goes, so a
 * mart row never lingers at zero.
 */
public final class SalesState {

    private SalesState() {
    }

    /** What one staging order item adds to its order. */
    public record ItemAmount(long units, BigDecimal revenue) {
        static ItemAmount of(ObjectNode item) {
            long quantity = Rows.longOrZero(item, "quantity");
            return new ItemAmount(quantity, Rows.decimalOrZero(item, "unit_price").multiply(BigDecimal.valueOf(quantity)));
        }
    }

    /** The staging items of one order, summed. */
    public record OrderTotals(long items, long units, BigDecimal revenue) {
        static OrderTotals empty() {
            return new OrderTotals(0, 0, BigDecimal.ZERO);
        }

        OrderTotals plus(ItemAmount item) {
            return new OrderTotals(items + 1, units + item.units(), revenue.add(item.revenue()));
        }

        OrderTotals minus(ItemAmount item) {
            return items == 1 ? null : new OrderTotals(items - 1, units - item.units(), revenue.subtract(item.revenue()));
        }
    }

    /**
     * What the marts need of a revenue order: its UTC day and its customer. Materialized, so the
     * joins that look orders up read this small record, not the raw row.
     */
    public record RevenueOrder(LocalDate day, Long customerId) {
        static RevenueOrder of(ObjectNode order) {
            Instant date = Staging.instant(order.get("order_date"));
            return new RevenueOrder(date.atOffset(ZoneOffset.UTC).toLocalDate(), Rows.longOrNull(order, "customer_id"));
        }
    }

    /** A revenue order with its items' totals (zero without items). */
    public record OrderFact(LocalDate day, Long customerId, long units, BigDecimal revenue) {
        static OrderFact of(RevenueOrder order, OrderTotals totals) {
            return new OrderFact(order.day(), order.customerId(),
                    totals == null ? 0 : totals.units(), totals == null ? BigDecimal.ZERO : totals.revenue());
        }
    }

    /** One day of {@code sales_daily}. */
    public record DailySales(long orders, long units, BigDecimal revenue) {
        static DailySales empty() {
            return new DailySales(0, 0, BigDecimal.ZERO);
        }

        DailySales plus(OrderFact order) {
            return new DailySales(orders + 1, units + order.units(), revenue.add(order.revenue()));
        }

        DailySales minus(OrderFact order) {
            return orders == 1 ? null : new DailySales(orders - 1, units - order.units(), revenue.subtract(order.revenue()));
        }
    }

    /** The revenue orders of one customer (or of orders without a customer). */
    public record CustomerOrders(long orders, long units, BigDecimal revenue) {
        static CustomerOrders empty() {
            return new CustomerOrders(0, 0, BigDecimal.ZERO);
        }

        CustomerOrders plus(OrderFact order) {
            return new CustomerOrders(orders + 1, units + order.units(), revenue.add(order.revenue()));
        }

        CustomerOrders minus(OrderFact order) {
            return orders == 1 ? null : new CustomerOrders(orders - 1, units - order.units(), revenue.subtract(order.revenue()));
        }
    }

    /** A customer's part of the KPIs; {@code known} is false for the orders without a customer. */
    public record CustomerShare(boolean known, long orders, long units, BigDecimal revenue) {
    }

    /** The {@code kpis} row; {@code shares} counts its contributors. */
    public record Kpis(long shares, long orders, long units, BigDecimal revenue,
                       long customersWithOrders, long repeatCustomers) {
        static Kpis empty() {
            return new Kpis(0, 0, 0, BigDecimal.ZERO, 0, 0);
        }

        Kpis plus(CustomerShare s) {
            return new Kpis(shares + 1, orders + s.orders(), units + s.units(), revenue.add(s.revenue()),
                    customersWithOrders + (s.known() ? 1 : 0), repeatCustomers + (s.known() && s.orders() >= 2 ? 1 : 0));
        }

        Kpis minus(CustomerShare s) {
            return shares == 1 ? null : new Kpis(shares - 1, orders - s.orders(), units - s.units(), revenue.subtract(s.revenue()),
                    customersWithOrders - (s.known() ? 1 : 0), repeatCustomers - (s.known() && s.orders() >= 2 ? 1 : 0));
        }
    }
}
