package io.cdcmarts.app.bench;

import java.util.Arrays;

/**
 * Commit→layer freshness of the markers that were seen: percentiles, and how fast it grew over the
 * run (the least-squares slope of freshness against commit time). A pipeline that keeps up has a
 * slope near 0; one that falls behind at the offered rate has a slope near the share of the rate it
 * cannot take (0.5: half a second later for every second of the run).
 *
 * @param seen    markers with a sighting
 * @param p50     median seconds
 * @param p99     99th percentile seconds (nearest rank)
 * @param max     largest seconds
 * @param slope   seconds of freshness gained per second of run
 */
record Freshness(int seen, double p50, double p99, double max, double slope) {

    /** Above this slope the lag is called unbounded: 2 % of the run's length added to every second. */
    static final double BOUNDED_SLOPE = 0.02;

    /**
     * The summary of {@code committedAt[k]} → {@code seenAt[k]} (nanoTime; 0 in seenAt: never seen).
     * With fewer than two sightings the slope is 0 and the percentiles NaN.
     */
    static Freshness of(long[] committedAt, long[] seenAt) {
        int n = 0;
        double[] x = new double[committedAt.length];
        double[] y = new double[committedAt.length];
        for (int k = 0; k < committedAt.length; k++) {
            if (seenAt[k] != 0) {
                x[n] = (committedAt[k] - committedAt[0]) / 1e9;
                y[n] = Math.max(0, seenAt[k] - committedAt[k]) / 1e9;
                n++;
            }
        }
        if (n == 0) {
            return new Freshness(0, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] sorted = Arrays.copyOf(y, n);
        Arrays.sort(sorted);
        return new Freshness(n, rank(sorted, 0.50), rank(sorted, 0.99), sorted[n - 1], slope(x, y, n));
    }

    /** Whether freshness stayed level: it grew less than {@link #BOUNDED_SLOPE} seconds per second. */
    boolean bounded() {
        return slope < BOUNDED_SLOPE;
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double slope(double[] x, double[] y, int n) {
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
