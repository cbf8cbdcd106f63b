package io.cdcmarts.processor.marts;

import java.math.BigDecimal;

/**
 * The additive part of {@code kpis}: revenue orders, their staged units and revenue (what the days
 * add), and customers with one and with two or more revenue orders (what the customers add).
 */
public record KpiSums(long orders, long units, BigDecimal revenue, long customersWithOrders, long repeatCustomers)
        implements Sums<KpiSums> {

    public static final KpiSums ZERO = new KpiSums(0, 0, BigDecimal.ZERO, 0, 0);

    static KpiSums ofDay(DaySums day) {
        return new KpiSums(day.orders(), day.units(), day.revenue(), 0, 0);
    }

    /** What a customer with {@code revenueOrders} revenue orders adds. */
    static KpiSums ofCustomer(long revenueOrders) {
        return new KpiSums(0, 0, BigDecimal.ZERO, revenueOrders >= 1 ? 1 : 0, revenueOrders >= 2 ? 1 : 0);
    }

    @Override
    public KpiSums plus(KpiSums o) {
        return new KpiSums(orders + o.orders, units + o.units, revenue.add(o.revenue),
                customersWithOrders + o.customersWithOrders, repeatCustomers + o.repeatCustomers);
    }

    @Override
    public KpiSums negate() {
        return new KpiSums(-orders, -units, revenue.negate(), -customersWithOrders, -repeatCustomers);
    }

    @Override
    public boolean isZero() {
        return orders == 0 && units == 0 && revenue.signum() == 0 && customersWithOrders == 0 && repeatCustomers == 0;
    }
}
