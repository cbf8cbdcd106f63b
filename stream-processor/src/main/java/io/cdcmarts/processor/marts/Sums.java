package io.cdcmarts.processor.marts;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Additive mart state: a contribution, a difference of two contributions, or their total. The
 * marts are sums of such values, so a sum of exactly-once deltas is exact whatever order the
 * deltas arrive in.
 *
 * @param <S> the concrete type
 */
public interface Sums<S extends Sums<S>> {

    S plus(S other);

    S negate();

    /** Whether every field is zero: nothing contributes, so the row (or the store entry) goes. */
    boolean isZero();

    default S minus(S other) {
        return plus(other.negate());
    }

    /**
     * What changes, target by target, when a source's contributions move from {@code before} to
     * {@code after}: {@code after − before} for every target of either, zero differences left out.
     */
    static <T, S extends Sums<S>> Map<T, S> difference(Map<T, S> before, Map<T, S> after) {
        Map<T, S> deltas = new LinkedHashMap<>();
        before.forEach((target, old) -> {
            S now = after.get(target);
            S delta = now == null ? old.negate() : now.minus(old);
            if (!delta.isZero()) {
                deltas.put(target, delta);
            }
        });
        after.forEach((target, now) -> {
            if (!before.containsKey(target) && !now.isZero()) {
                deltas.put(target, now);
            }
        });
        return deltas;
    }

    /** Adds {@code value} to the entry of {@code target}. */
    static <T, S extends Sums<S>> void add(Map<T, S> totals, T target, S value) {
        totals.merge(target, value, Sums::plus);
    }

    /** A fresh map for contributions. */
    static <T, S extends Sums<S>> Map<T, S> map() {
        return new HashMap<>();
    }
}
