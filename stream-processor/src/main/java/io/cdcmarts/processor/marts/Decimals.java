package io.cdcmarts.processor.marts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The exact arithmetic of the marts (SPEC §6): money DECIMAL(18,2), ratios DECIMAL(18,4) half-up. */
public final class Decimals {

    public static final int MONEY_SCALE = 2;
    public static final int RATIO_SCALE = 4;
    public static final int PRECISION = 18;

    private Decimals() {
    }

    /** Money at scale 2. Sums of DECIMAL(p,2) lines are already exact at scale 2; the rounding never bites. */
    public static BigDecimal money(BigDecimal amount) {
        return amount.setScale(MONEY_SCALE, RoundingMode.HALF_UP);
    }

    /** numerator / denominator at scale 4, half-up (away from zero, as SQL round), or null for a zero denominator. */
    public static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
        return denominator.signum() == 0 ? null : numerator.divide(denominator, RATIO_SCALE, RoundingMode.HALF_UP);
    }

    public static BigDecimal ratio(BigDecimal numerator, long denominator) {
        return ratio(numerator, BigDecimal.valueOf(denominator));
    }

    public static BigDecimal ratio(long numerator, long denominator) {
        return ratio(BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator));
    }
}
