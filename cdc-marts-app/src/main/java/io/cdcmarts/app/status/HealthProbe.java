package io.cdcmarts.app.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Asks a service's {@code /health} endpoint for its state and last error ({@code local}'s for each service it runs). */
final class HealthProbe {

    private final HttpClient http;
    private final Duration timeout;

    HealthProbe(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    ServiceHealth read(String service, String baseUrl) {
        return ask(service, baseUrl).health();
    }

    /**
     * The services behind one base URL: the one asked for, or, when {@code cdc-marts local}
     * answers there, each of the services it runs, from the health documents it carries for
     * each ({@code services.capture}, {@code .processor}, {@code .sink}).
     */
    List<ServiceHealth> readAll(String service, String baseUrl) {
        Answer answer = ask(service, baseUrl);
        JsonNode stages = answer.body().path("services");
        if (!"local".equals(text(answer.body(), "service")) || !stages.isObject()) {
            return List.of(answer.health());
        }
        List<ServiceHealth> all = new ArrayList<>();
        stages.fields().forEachRemaining(stage -> all.add(health(stage.getKey(), answer.health().url(), stage.getValue(),
                "UP".equals(text(stage.getValue(), "status")))));
        return all;
    }

    /** What a {@code /health} answered: the service's health, and the document it sent (a null node when none). */
    private record Answer(ServiceHealth health, JsonNode body) {
    }

    private Answer ask(String service, String baseUrl) {
        String url = stripSlash(baseUrl) + "/health";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(response.body());
            return new Answer(health(service, url, body, response.statusCode() == 200), body);
        } catch (java.net.ConnectException e) {
            return unreachable(service, url, "connection refused (is the " + service + " running, with its HTTP port here?)");
        } catch (java.net.http.HttpTimeoutException e) {
            return unreachable(service, url, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException | IllegalArgumentException e) {
            return unreachable(service, url, "no answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(service, url, "interrupted");
        }
    }

    /** A health document read: its own status, else UP or DOWN as the HTTP status said. */
    private static ServiceHealth health(String service, String url, JsonNode body, boolean httpOk) {
        String status = text(body, "status");
        if (status == null) {
            status = httpOk ? "UP" : "DOWN";
        }
        return new ServiceHealth(service, url, status, text(body, "lastError"), text(body, "lastErrorAt"));
    }

    private static Answer unreachable(String service, String url, String why) {
        return new Answer(ServiceHealth.unreachable(service, url, why), Json.MAPPER.nullNode());
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.nullNode();
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
