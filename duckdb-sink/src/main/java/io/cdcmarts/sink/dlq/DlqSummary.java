package io.cdcmarts.sink.dlq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Counts dead letters by table and by table and check (a record that failed several checks counts
 * once per check), and keeps the latest {@code limit} records by Kafka timestamp in bounded memory:
 * a dead-letter topic holds 30 days.
 */
public final class DlqSummary {

    /** Oldest first; ties broken by where the record is, so the order is stable. */
    static final Comparator<DlqEntry> BY_TIME = Comparator.comparing(DlqEntry::timestamp)
            .thenComparing(DlqEntry::dlqTopic).thenComparingInt(DlqEntry::partition).thenComparingLong(DlqEntry::offset);

    private final int limit;
    private final Map<String, Long> byTable = new TreeMap<>();
    private final Map<String, Map<String, Long>> byTableAndCheck = new TreeMap<>();
    private final PriorityQueue<DlqEntry> latest = new PriorityQueue<>(BY_TIME);
    private long total;

    public DlqSummary(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        this.limit = limit;
    }

    public void add(DlqEntry e) {
        total++;
        byTable.merge(e.table(), 1L, Long::sum);
        Map<String, Long> checks = byTableAndCheck.computeIfAbsent(e.table(), t -> new TreeMap<>());
        for (String check : e.checks()) {
            checks.merge(check, 1L, Long::sum);
        }
        if (limit > 0) {
            latest.add(e);
            if (latest.size() > limit) {
                latest.poll();
            }
        }
    }

    /** Records counted. */
    public long total() {
        return total;
    }

    /** Records per table. */
    public Map<String, Long> byTable() {
        return byTable;
    }

    /** Records per table and check. */
    public Map<String, Map<String, Long>> byTableAndCheck() {
        return byTableAndCheck;
    }

    /** The latest records, oldest first. */
    public List<DlqEntry> latest() {
        List<DlqEntry> out = new ArrayList<>(latest);
        out.sort(BY_TIME);
        return out;
    }
}
