package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.SinkStatus;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The document of {@code GET /api/status} (fields in the module README): what the sink has done
 * since start, what DuckDB holds now, how fresh it is and how far behind the topics.
 */
final class SinkStatusReport {

    /** The layers the sink writes, as DuckDB schemas. */
    static final List<String> LAYERS = List.of("raw", "stg", "mart", "quality");

    private final SinkService sink;
    private final Clock clock;

    SinkStatusReport(SinkService sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    ObjectNode toJson(Connection reader) throws SQLException {
        SinkStatus s = sink.status();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("service", "sink");
        out.put("running", s.running());
        out.put("lastError", s.lastError());
        out.put("lastErrorAt", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
        out.put("batches", s.batches());
        out.put("failedBatches", s.failedBatches());
        out.put("malformed", s.malformed());
        ObjectNode last = out.putObject("lastBatch");
        last.put("records", s.lastBatchRecords());
        last.put("durationMs", s.lastBatchDuration().toMillis());
        last.put("at", s.lastBatchAt() == null ? null : s.lastBatchAt().toString());
        ObjectNode applied = out.putObject("rowsApplied");
        LAYERS.forEach(layer -> applied.put(layer, s.rowsApplied(layer)));

        Set<String> tables = Rows.tables(reader);
        ObjectNode counts = out.putObject("rowCounts");
        Map<String, Long> perLayer = rowCounts(reader, tables);
        LAYERS.forEach(layer -> counts.put(layer, perLayer.getOrDefault(layer, 0L)));
        out.put("openFailures", tables.contains("quality.open_failures")
                ? Rows.scalar(reader, "SELECT count(*) FROM quality.open_failures") : 0);
        out.put("deadLetters", tables.contains("quality.dead_letters")
                ? Rows.scalar(reader, "SELECT count(*) FROM quality.dead_letters") : 0);

        out.put("newestSourceTs", s.newestSourceTs() == null ? null : s.newestSourceTs().toString());
        if (s.newestSourceTs() == null) {
            out.putNull("freshnessSeconds");
        } else {
            out.put("freshnessSeconds", Duration.between(s.newestSourceTs(), clock.instant()).toMillis() / 1000.0);
        }
        ArrayNode lag = out.putArray("consumerLag");
        long total = 0;
        List<Map.Entry<TopicPartition, Long>> byPartition = new ArrayList<>(sink.consumerLag().entrySet());
        byPartition.sort(Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
                .thenComparingInt(e -> e.getKey().partition()));
        for (Map.Entry<TopicPartition, Long> e : byPartition) {
            lag.addObject().put("topic", e.getKey().topic()).put("partition", e.getKey().partition()).put("lag", e.getValue());
            total += e.getValue();
        }
        out.put("totalLag", total);
        return out;
    }

    /** Exact row counts summed per layer, in one query over every table of the layer schemas. */
    private static Map<String, Long> rowCounts(Connection reader, Set<String> tables) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (String t : layerTables(tables)) {
            String schema = t.substring(0, t.indexOf('.'));
            String name = t.substring(t.indexOf('.') + 1);
            sql.append(sql.length() == 0 ? "" : " UNION ALL ")
                    .append("SELECT '").append(schema).append("' AS layer, count(*) AS n FROM ")
                    .append(quote(schema)).append('.').append(quote(name));
        }
        Map<String, Long> out = new TreeMap<>();
        if (sql.length() == 0) {
            return out;
        }
        for (var row : Rows.query(reader, "SELECT layer, sum(n) AS n FROM (" + sql + ") GROUP BY layer")) {
            out.put(row.get("layer").asText(), row.get("n").asLong());
        }
        return out;
    }

    private static List<String> layerTables(Set<String> tables) {
        return tables.stream().filter(t -> LAYERS.contains(t.substring(0, t.indexOf('.')))).sorted().toList();
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
