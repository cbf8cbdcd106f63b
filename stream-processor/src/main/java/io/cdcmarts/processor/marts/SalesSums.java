package io.cdcmarts.processor.marts;

import java.math.BigDecimal;

/**
 * Units, revenue and cost with the number of contributors: items for a product, products for a
 * category. What one variant adds to its product, or one product to its category, has the same shape.
 */
public record SalesSums(long count, long units, BigDecimal revenue, BigDecimal cost) implements Sums<SalesSums> {

    public static final SalesSums ZERO = new SalesSums(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    @Override
    public SalesSums plus(SalesSums o) {
        return new SalesSums(count + o.count, units + o.units, revenue.add(o.revenue), cost.add(o.cost));
    }

    @Override
    public SalesSums negate() {
        return new SalesSums(-count, -units, revenue.negate(), cost.negate());
    }

    @Override
    public boolean isZero() {
        return count == 0 && units == 0 && revenue.signum() == 0 && cost.signum() == 0;
    }

    public BigDecimal grossProfit() {
        return revenue.subtract(cost);
    }
}
