package io.cdcmarts.processor.marts;

import java.math.BigDecimal;

/** Revenue orders with their staged items' units and revenue: one day of {@code sales_daily}, or an order's part of it. */
public record DaySums(long orders, long units, BigDecimal revenue) implements Sums<DaySums> {

    public static final DaySums ZERO = new DaySums(0, 0, BigDecimal.ZERO);

    @Override
    public DaySums plus(DaySums o) {
        return new DaySums(orders + o.orders, units + o.units, revenue.add(o.revenue));
    }

    @Override
    public DaySums negate() {
        return new DaySums(-orders, -units, revenue.negate());
    }

    @Override
    public boolean isZero() {
        return orders == 0 && units == 0 && revenue.signum() == 0;
    }
}
