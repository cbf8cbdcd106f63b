package io.cdcmarts.app.status;

import io.cdcmarts.common.Secrets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts rows per layer and finds the newest applied change, with a handful of SQL statements. */
final class LayerProbe {

    static final List<String> LAYERS = List.of("raw", "stg", "mart", "quality");

    private LayerProbe() {
    }

    static LayerFacts read(SqlSource sql, Instant now) {
        try {
            List<List<Object>> tables = sql.rows("SELECT table_schema, table_name FROM information_schema.tables"
                    + " WHERE table_schema IN ('raw', 'stg', 'mart', 'quality') AND table_type = 'BASE TABLE'"
                    + " ORDER BY table_schema, table_name");
            Map<String, Map<String, Long>> counts = new TreeMap<>();
            List<String> rawTables = new ArrayList<>();
            if (!tables.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (List<Object> t : tables) {
                    String schema = t.get(0).toString();
                    String table = t.get(1).toString();
                    parts.add("SELECT '" + schema + "', '" + table + "', count(*) FROM " + ident(schema) + "." + ident(table));
                    if (schema.equals("raw")) {
                        rawTables.add(table);
                    }
                }
                for (List<Object> r : sql.rows(String.join(" UNION ALL ", parts))) {
                    counts.computeIfAbsent(r.get(0).toString(), k -> new TreeMap<>()).put(r.get(1).toString(), number(r.get(2)));
                }
            }
            Long openFailures = counts.getOrDefault("quality", Map.of()).get("open_failures");
            Instant newest = newestSourceTs(sql, rawTables);
            Duration freshness = newest == null ? null : Duration.between(newest, now);
            return new LayerFacts(sql.describe(), counts, openFailures, newest, freshness, null);
        } catch (Exception e) {
            return LayerFacts.unavailable(sql.describe() + ": " + Secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    private static Instant newestSourceTs(SqlSource sql, List<String> rawTables) throws Exception {
        if (rawTables.isEmpty()) {
            return null;
        }
        List<String> parts = rawTables.stream()
                .map(t -> "SELECT max(_source_ts) AS ts FROM raw." + ident(t))
                .toList();
        List<List<Object>> rows = sql.rows("SELECT epoch_ms(max(ts)) FROM (" + String.join(" UNION ALL ", parts) + ")");
        Object ms = rows.isEmpty() ? null : rows.get(0).get(0);
        return ms == null ? null : Instant.ofEpochMilli(number(ms));
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
    }
}
