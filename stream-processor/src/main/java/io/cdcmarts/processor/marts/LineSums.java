package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.marts.RevenueState.ItemLine;

import java.math.BigDecimal;

/**
 * Order items of revenue orders of one variant, summed: every raw item (the product marts read the
 * raw layer) and the staged ones (the variant mart reads staging).
 */
public record LineSums(long items, long units, BigDecimal revenue,
                       long stagedItems, long stagedUnits, BigDecimal stagedRevenue) implements Sums<LineSums> {

    public static final LineSums ZERO = new LineSums(0, 0, BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);

    /** One item line. */
    public static LineSums of(ItemLine line) {
        BigDecimal revenue = line.revenue();
        return line.staged()
                ? new LineSums(1, line.quantity(), revenue, 1, line.quantity(), revenue)
                : new LineSums(1, line.quantity(), revenue, 0, 0, BigDecimal.ZERO);
    }

    @Override
    public LineSums plus(LineSums o) {
        return new LineSums(items + o.items, units + o.units, revenue.add(o.revenue),
                stagedItems + o.stagedItems, stagedUnits + o.stagedUnits, stagedRevenue.add(o.stagedRevenue));
    }

    @Override
    public LineSums negate() {
        return new LineSums(-items, -units, revenue.negate(), -stagedItems, -stagedUnits, stagedRevenue.negate());
    }

    @Override
    public boolean isZero() {
        return items == 0 && units == 0 && revenue.signum() == 0
                && stagedItems == 0 && stagedUnits == 0 && stagedRevenue.signum() == 0;
    }
}
