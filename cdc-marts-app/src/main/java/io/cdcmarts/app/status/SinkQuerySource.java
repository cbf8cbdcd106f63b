package io.cdcmarts.app.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.sink.http.QueryResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs status's read-only queries through the running sink's {@code POST /api/query}. */
public final class SinkQuerySource implements SqlSource {

    private final HttpClient http;
    private final String url;
    private final Duration timeout;

    /** Queries {@code baseUrl}'s {@code /api/query}, each within {@code timeout}. */
    public SinkQuerySource(HttpClient http, String baseUrl, Duration timeout) {
        this.http = http;
        this.url = HealthProbe.stripSlash(baseUrl) + "/api/query";
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return "the sink at " + url;
    }

    @Override
    public List<List<Object>> rows(String sql) throws IOException, InterruptedException {
        String body = Json.MAPPER.writeValueAsString(Map.of("sql", sql));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = Json.MAPPER.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + json.path("error").asText(response.body()));
        }
        List<List<Object>> out = new ArrayList<>();
        for (List<JsonNode> row : QueryResult.fromJson(json).rows()) {
            List<Object> values = new ArrayList<>(row.size());
            for (JsonNode v : row) {
                values.add(v.isNull() ? null : v.isNumber() ? v.numberValue() : v.asText());
            }
            out.add(values);
        }
        return out;
    }
}
