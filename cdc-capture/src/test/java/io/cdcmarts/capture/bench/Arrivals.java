package io.cdcmarts.capture.bench;

import java.util.Collection;

/**
 * How many messages of a topic's one partition have arrived at the place a benchmark times: the
 * topic itself (its end offset), or DuckDB (the offset the sink stored with the rows it wrote).
 * Offsets count messages from 0, and the benchmark's raw topics are never compacted while it runs,
 * so a position is a number of rows.
 */
interface Arrivals {

    /** Messages of these topics that have arrived, together (a topic not there yet counts 0). */
    long position(Collection<String> topics) throws Exception;

    /** Where the rows are counted, for the report: e.g. "the raw topic", "DuckDB". */
    String where();

    /** How often a waiting benchmark asks: the resolution of its latencies. */
    long pollNanos();
}
