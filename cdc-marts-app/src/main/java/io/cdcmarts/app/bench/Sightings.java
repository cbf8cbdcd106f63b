package io.cdcmarts.app.bench;

import io.cdcmarts.app.status.SqlSource;

import java.util.List;

/**
 * When each marker was first seen through the sink, in {@code raw.orders} and in
 * {@code mart.sales_daily}: one read-only query per poll, which lists the marker days present in
 * each (a marker is known by its day, {@link Markers}). Times are {@link System#nanoTime()} of the
 * poll's answer, so a sighting is late by at most one poll interval and one query.
 */
final class Sightings {

    /** The layers a marker is looked for in. */
    enum Layer { RAW, MART }

    private static final String QUERY = "SELECT 0, CAST(datediff('day', DATE '" + Markers.FIRST_DAY + "', CAST(order_date AS DATE)) AS BIGINT)"
            + " FROM raw.orders WHERE order_date < TIMESTAMPTZ '" + Markers.END_DAY + " 00:00:00+00'"
            + " UNION ALL SELECT 1, CAST(datediff('day', DATE '" + Markers.FIRST_DAY + "', day) AS BIGINT)"
            + " FROM mart.sales_daily WHERE day < DATE '" + Markers.END_DAY + "'";

    private final SqlSource sink;
    private final long[][] seenAt;

    Sightings(SqlSource sink, int capacity) {
        this.sink = sink;
        this.seenAt = new long[][]{new long[capacity], new long[capacity]};
    }

    /**
     * Asks the sink once and records the markers it sees for the first time.
     *
     * @return how many markers below {@code written} are still unseen in either layer
     */
    synchronized int poll(int written) throws Exception {
        List<List<Object>> rows = sink.rows(QUERY);
        long now = System.nanoTime();
        for (List<Object> row : rows) {
            int layer = ((Number) row.get(0)).intValue();
            long k = ((Number) row.get(1)).longValue();
            if (k >= 0 && k < written && seenAt[layer][(int) k] == 0) {
                seenAt[layer][(int) k] = now;
            }
        }
        return unseen(written);
    }

    /** Markers from earlier runs the sink still shows (they are deleted at the start of a run). */
    int leftovers() throws Exception {
        return sink.rows(QUERY).size();
    }

    synchronized int unseen(int written) {
        int n = 0;
        for (int k = 0; k < written; k++) {
            if (seenAt[0][k] == 0 || seenAt[1][k] == 0) {
                n++;
            }
        }
        return n;
    }

    /** The first sighting of marker {@code k} in {@code layer}, or 0 when not yet seen. */
    synchronized long seenAt(Layer layer, int k) {
        return seenAt[layer.ordinal()][k];
    }
}
