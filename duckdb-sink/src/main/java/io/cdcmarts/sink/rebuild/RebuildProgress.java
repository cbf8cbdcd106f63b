package io.cdcmarts.sink.rebuild;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How far a rebuild is: for every partition, where it started (its beginning offset), where it must
 * get to (its end offset when the rebuild started) and where the consumer is now. Progress is
 * counted in offsets, not messages: compaction gaps and transaction markers take offsets too, so
 * "consumed" can run ahead of the messages actually read, never behind.
 */
final class RebuildProgress {

    private final Map<TopicPartition, Long> start;
    private final Map<TopicPartition, Long> target;
    private final Map<TopicPartition, Long> position = new HashMap<>();
    private final Function<String, String> layerOfTopic;
    private final Instant startedAt;
    private Instant lastReportAt;
    private final Map<String, Long> consumedAtLastReport = new HashMap<>();

    /**
     * @param start        each partition's beginning offset
     * @param target       each partition's end offset at the start of the rebuild
     * @param layerOfTopic the layer a topic belongs to, for grouping (raw, stg, mart, dlq, quality)
     */
    RebuildProgress(Map<TopicPartition, Long> start, Map<TopicPartition, Long> target,
                    Function<String, String> layerOfTopic, Instant now) {
        if (!start.keySet().equals(target.keySet())) {
            throw new IllegalArgumentException("start and target offsets must cover the same partitions");
        }
        this.start = Map.copyOf(start);
        this.target = Map.copyOf(target);
        this.layerOfTopic = layerOfTopic;
        this.startedAt = now;
        this.lastReportAt = now;
        this.position.putAll(start);
    }

    /** The consumer's position (next offset to read) of a partition. */
    void position(TopicPartition tp, long next) {
        if (position.containsKey(tp)) {
            position.put(tp, next);
        }
    }

    /** Partitions that reached their target. */
    Set<TopicPartition> finished() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        target.forEach((tp, end) -> {
            if (position.get(tp) >= end) {
                out.add(tp);
            }
        });
        return out;
    }

    /** Partitions still short of their target. */
    Set<TopicPartition> unfinished() {
        Set<TopicPartition> out = new LinkedHashSet<>(target.keySet());
        out.removeAll(finished());
        return out;
    }

    boolean done() {
        return unfinished().isEmpty();
    }

    long consumed() {
        return consumedByLayer().values().stream().mapToLong(Long::longValue).sum();
    }

    long total() {
        return targetByLayer().values().stream().mapToLong(Long::longValue).sum();
    }

    Duration elapsed(Instant now) {
        return Duration.between(startedAt, now);
    }

    /**
     * One line: per layer consumed / target offsets, the rate since the last report and the time
     * left at that rate. Resets the rate's interval.
     */
    String report(Instant now) {
        double seconds = Math.max(0.001, Duration.between(lastReportAt, now).toMillis() / 1000.0);
        Map<String, Long> consumed = consumedByLayer();
        Map<String, Long> targets = targetByLayer();
        StringBuilder line = new StringBuilder("rebuild ").append(format(elapsed(now))).append(':');
        for (Map.Entry<String, Long> e : targets.entrySet()) {
            String layer = e.getKey();
            long total = e.getValue();
            long done = consumed.getOrDefault(layer, 0L);
            double rate = (done - consumedAtLastReport.getOrDefault(layer, 0L)) / seconds;
            line.append("  ").append(layer).append(' ').append(done).append('/').append(total)
                    .append(" (").append(total == 0 ? 100 : done * 100 / total).append("%)");
            if (done < total) {
                line.append(' ').append(Math.round(rate)).append("/s ETA ")
                        .append(rate <= 0 ? "?" : format(Duration.ofSeconds((long) Math.ceil((total - done) / rate))));
            }
        }
        consumedAtLastReport.clear();
        consumedAtLastReport.putAll(consumed);
        lastReportAt = now;
        return line.toString();
    }

    private Map<String, Long> consumedByLayer() {
        Map<String, Long> out = new TreeMap<>();
        target.forEach((tp, end) -> out.merge(layerOfTopic.apply(tp.topic()),
                Math.min(position.get(tp), end) - start.get(tp), Long::sum));
        return out;
    }

    private Map<String, Long> targetByLayer() {
        Map<String, Long> out = new TreeMap<>();
        target.forEach((tp, end) -> out.merge(layerOfTopic.apply(tp.topic()), end - start.get(tp), Long::sum));
        return out;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
