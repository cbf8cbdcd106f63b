package io.cdcmarts.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The fixed vocabularies and value shapes of the tutorial's generator, in one place so that the
 * bulk load and the continuous workload draw from the same distributions. Money is always built
 * from whole cents, never from a double.
 */
final class Catalog {

    static final List<String> CATEGORIES = List.of("t-shirts", "hoodies", "shoes", "accessories", "jackets");
    /** The categories whose sizes are S/M/L/XL; moving a product among them keeps its variants valid. */
    static final List<String> LETTER_SIZED_CATEGORIES = List.of("t-shirts", "hoodies", "accessories", "jackets");
    static final String SHOES = "shoes";

    /** {@code null} is a real choice: the tutorial leaves some variants without a color. */
    static final List<String> COLORS = Arrays.asList("Red", "Blue", "Black", "White", "Green", null);
    static final List<String> SHOE_SIZES = List.of("36", "38", "40", "42", "44");
    static final List<String> LETTER_SIZES = List.of("S", "M", "L", "XL");
    /** The tutorial's chaos: letter sizes on shoes ... */
    static final List<String> CHAOS_SHOE_SIZES = List.of("S", "M", "L");
    /** ... and odd shoe sizes on everything else. */
    static final List<String> CHAOS_LETTER_SIZES = List.of("37", "41", "45");

    static final List<String> STATUSES = List.of("pending", "paid", "cancelled", "shipped");
    /** The tutorial's weights .2/.5/.1/.2, in tenths. */
    private static final int[] STATUS_WEIGHTS = {2, 5, 1, 2};

    private Catalog() {
    }

    static <T> T pick(RandomGenerator rng, List<T> values) {
        return values.get(rng.nextInt(values.size()));
    }

    static String weightedStatus(RandomGenerator rng) {
        int roll = rng.nextInt(10);
        for (int i = 0; i < STATUS_WEIGHTS.length; i++) {
            roll -= STATUS_WEIGHTS[i];
            if (roll < 0) {
                return STATUSES.get(i);
            }
        }
        throw new AssertionError("status weights do not add up to 10");
    }

    /**
     * The category as the staging layer will see it (trimmed, lower-cased), so a product whose
     * category was written messily still gets sizes that are valid for it.
     */
    static boolean isShoes(String category) {
        return category != null && category.strip().toLowerCase(Locale.ROOT).equals(SHOES);
    }

    static String validSize(RandomGenerator rng, String category) {
        return isShoes(category) ? pick(rng, SHOE_SIZES) : pick(rng, LETTER_SIZES);
    }

    static String invalidSize(RandomGenerator rng, String category) {
        return isShoes(category) ? pick(rng, CHAOS_SHOE_SIZES) : pick(rng, CHAOS_LETTER_SIZES);
    }

    /** A uniformly drawn amount between {@code min} and {@code max} whole units, inclusive, in cents. */
    static BigDecimal money(RandomGenerator rng, int min, int max) {
        return BigDecimal.valueOf(rng.nextLong(min * 100L, max * 100L + 1), 2);
    }

    /** manufacturing price 10–80. */
    static BigDecimal manufacturingPrice(RandomGenerator rng) {
        return money(rng, 10, 80);
    }

    /** The tutorial's selling price: manufacturing price times 1.2–2.0, rounded to cents. */
    static BigDecimal sellingPrice(RandomGenerator rng, BigDecimal manufacturingPrice) {
        BigDecimal markup = BigDecimal.valueOf(rng.nextLong(12_000, 20_001), 4);
        return manufacturingPrice.multiply(markup).setScale(2, RoundingMode.HALF_UP);
    }

    /** An order item's unit price 20–200. */
    static BigDecimal unitPrice(RandomGenerator rng) {
        return money(rng, 20, 200);
    }

    /** {@code amount} times a factor in [1 - spread, 1 + spread], rounded to cents, at least one cent. */
    static BigDecimal nudge(RandomGenerator rng, BigDecimal amount, double spread) {
        int basisPoints = (int) Math.round(spread * 10_000);
        BigDecimal factor = BigDecimal.valueOf(10_000 + rng.nextInt(-basisPoints, basisPoints + 1), 4);
        BigDecimal nudged = amount.multiply(factor).setScale(2, RoundingMode.HALF_UP);
        return nudged.signum() > 0 ? nudged : new BigDecimal("0.01");
    }

    static String capitalize(String word) {
        if (word == null || word.isEmpty()) {
            return word;
        }
        return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
