package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer of a read-only query, as the HTTP API sends it and {@code cdc-marts query} prints it.
 *
 * @param columns   name and DuckDB type of each column
 * @param rows      the rows, each value as JSON ({@link JsonValues})
 * @param truncated true when the query had more rows than the limit: only the first ones are here
 * @param elapsedMs how long it ran
 */
public record QueryResult(List<Column> columns, List<List<JsonNode>> rows, boolean truncated, long elapsedMs) {

    /** A result column. */
    public record Column(String name, String type) {
    }

    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** {@code {"columns":[{"name","type"}…], "rows":[[…]…], "rowCount", "truncated", "elapsedMs"}}. */
    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode cols = out.putArray("columns");
        columns.forEach(c -> cols.addObject().put("name", c.name()).put("type", c.type()));
        ArrayNode data = out.putArray("rows");
        for (List<JsonNode> row : rows) {
            ArrayNode r = data.addArray();
            row.forEach(r::add);
        }
        out.put("rowCount", rows.size());
        out.put("truncated", truncated);
        out.put("elapsedMs", elapsedMs);
        return out;
    }

    /** Reads what {@link #toJson()} wrote. */
    public static QueryResult fromJson(JsonNode json) {
        List<Column> columns = new ArrayList<>();
        json.path("columns").forEach(c -> columns.add(new Column(c.path("name").asText(), c.path("type").asText())));
        List<List<JsonNode>> rows = new ArrayList<>();
        json.path("rows").forEach(r -> {
            List<JsonNode> row = new ArrayList<>();
            r.forEach(row::add);
            rows.add(row);
        });
        return new QueryResult(columns, rows, json.path("truncated").asBoolean(), json.path("elapsedMs").asLong());
    }
}
