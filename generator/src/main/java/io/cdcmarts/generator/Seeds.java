package io.cdcmarts.generator;

/**
 * Derives one independent random seed per use from the user's {@code --seed}, so each table is
 * drawn from its own stream: asking for more customers does not change the products, and the
 * continuous workload does not replay the bulk step's choices.
 */
final class Seeds {

    static final int CUSTOMER_FAKER = 1;
    static final int CUSTOMER_VALUES = 2;
    static final int PRODUCT_FAKER = 3;
    static final int PRODUCT_VALUES = 4;
    static final int VARIANT_FAKER = 5;
    static final int VARIANT_VALUES = 6;
    static final int ORDER_VALUES = 7;
    static final int ITEM_VALUES = 8;
    static final int STREAM_VALUES = 20;
    static final int STREAM_FAKER = 21;

    private Seeds() {
    }

    /** SplitMix64's finalizer over (seed, stream): well spread even for seeds 1, 2, 3 … */
    static long derive(long seed, int stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
