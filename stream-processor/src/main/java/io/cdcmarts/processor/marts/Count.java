package io.cdcmarts.processor.marts;

/** A number of contributors: the revenue orders of a customer, or an order's part of them. */
public record Count(long n) implements Sums<Count> {

    public static final Count ZERO = new Count(0);
    public static final Count ONE = new Count(1);

    @Override
    public Count plus(Count o) {
        return new Count(n + o.n);
    }

    @Override
    public Count negate() {
        return new Count(-n);
    }

    @Override
    public boolean isZero() {
        return n == 0;
    }
}
