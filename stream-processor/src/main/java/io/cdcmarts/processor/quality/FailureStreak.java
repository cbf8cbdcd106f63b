package io.cdcmarts.processor.quality;

/**
 * The state of a source row that fails its checks now (kept only while it fails).
 *
 * @param checks     the failing checks, comma-separated
 * @param sinceMs    when the streak began: source commit time of the first failing version
 * @param lsn        the source log position of the last dead-lettered version
 * @param partition  its raw partition
 * @param offset     its raw offset
 */
public record FailureStreak(String checks, long sinceMs, long lsn, int partition, long offset) {
}
