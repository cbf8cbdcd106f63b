package io.cdcmarts.sink.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.DeadLetter;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Writes what {@code cdc-marts dlq} found: for people, a counts table and one block per record;
 * with {@code --json}, one JSON object per line ({@code "type": "counts"}, then
 * {@code "type": "dead_letter"} per record) for machines.
 */
public final class DlqPrinter {

    private final PrintWriter out;
    private final boolean json;

    public DlqPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** The counts and the latest records. */
    public void summary(DlqSummary summary, DlqFilter filter, int topics) {
        if (json) {
            ObjectNode counts = Json.MAPPER.createObjectNode().put("type", "counts").put("filter", filter.toString())
                    .put("topics", topics).put("total", summary.total());
            ObjectNode tables = counts.putObject("tables");
            summary.byTable().forEach((table, n) -> {
                ObjectNode t = tables.putObject(table).put("records", n);
                ObjectNode checks = t.putObject("checks");
                summary.byTableAndCheck().getOrDefault(table, Map.of()).forEach(checks::put);
            });
            line(counts);
        } else {
            out.printf("Dead letters in %d topics, %s: %d records%n", topics, filter, summary.total());
            if (summary.total() > 0) {
                out.printf("%n%-24s %-28s %10s%n", "table", "check", "records");
                summary.byTable().forEach((table, n) -> {
                    out.printf("%-24s %-28s %10d%n", table, "(any)", n);
                    summary.byTableAndCheck().getOrDefault(table, Map.of())
                            .forEach((check, c) -> out.printf("%-24s %-28s %10d%n", "", check, c));
                });
                out.println("(a record that failed several checks counts once under each)");
                out.printf("%nLatest %d, oldest first:%n", summary.latest().size());
            }
        }
        summary.latest().forEach(this::record);
        out.flush();
    }

    /** One record. */
    public void record(DlqEntry e) {
        if (json) {
            ObjectNode node = Json.MAPPER.createObjectNode().put("type", "dead_letter").put("table", e.table())
                    .put("time", e.time().toString());
            node.putObject("dlq").put("topic", e.dlqTopic()).put("partition", e.partition()).put("offset", e.offset())
                    .put("timestamp", e.timestamp().toString());
            node.putPOJO("checks", e.checks());
            if (e.deadLetter() != null) {
                node.set("dead_letter", Json.MAPPER.valueToTree(e.deadLetter()));
            } else {
                node.put("unreadable", e.unreadable()).put("key", e.key());
            }
            String raw = e.rawSummary();
            if (raw != null) {
                node.put("raw_summary", raw);
            }
            line(node);
        } else {
            text(e);
        }
        out.flush();
    }

    private void text(DlqEntry e) {
        DeadLetter dl = e.deadLetter();
        String key = dl != null && dl.key() != null && !dl.key().isNull() ? compact(dl.key()) : e.key();
        out.printf("%n%s  %s  key %s  checks: %s%n", e.time(), e.table(), key, String.join(", ", e.checks()));
        if (dl == null) {
            out.printf("  not a dead-letter record: %s%n", e.unreadable());
        } else {
            for (DeadLetter.Failure f : dl.failures()) {
                out.printf("  %s%s: %s%n", f.column() == null ? "" : f.column() + " = " + compact(f.value()) + " ",
                        f.check(), f.message());
            }
            if (dl.row() != null && !dl.row().isNull()) {
                out.printf("  row %s%n", compact(dl.row()));
            }
            DeadLetter.Source s = dl.source();
            out.printf("  source %s[%d]@%d%s%s%n", s.topic(), s.partition(), s.offset(),
                    s.lsn() >= 0 ? ", lsn " + s.lsn() : "", s.sourceTs() != null ? ", source_ts " + s.sourceTs() : "");
        }
        String raw = e.rawSummary();
        if (raw != null) {
            out.printf("  raw %s%n", raw);
        }
        out.printf("  dlq %s[%d]@%d%n", e.dlqTopic(), e.partition(), e.offset());
    }

    private void line(JsonNode node) {
        out.println(compact(node));
    }

    private static String compact(JsonNode node) {
        if (node == null) {
            return "null";
        }
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
