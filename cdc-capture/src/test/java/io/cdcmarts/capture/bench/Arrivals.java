package io.cdcmarts.capture.bench;

/**
 * How many messages of a topic's one partition have arrived at the place a benchmark times: the
 * topic itself (its end offset), or DuckDB (the offset the sink stored with the rows it wrote).
 * Offsets count messages from 0, and the benchmark's raw topics are never compacted while it runs,
 * so a position is a number of rows.
 */
interface Arrivals {

    /** Messages of {@code topic} that have arrived (0 while the topic or its rows are not there yet). */
    long position(String topic) throws Exception;

    /** Messages of all these topics that have arrived. */
    default long position(Iterable<String> topics) throws Exception {
        long sum = 0;
        for (String topic : topics) {
            sum += position(topic);
        }
        return sum;
    }

    /** Where the rows are counted, for the report: e.g. "the raw topic", "DuckDB". */
    String where();

    /** How often a waiting benchmark asks: the resolution of its latencies. */
    long pollNanos();
}
