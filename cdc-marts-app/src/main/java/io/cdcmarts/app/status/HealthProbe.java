package io.cdcmarts.app.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service's {@code /health} endpoint for its state and last error. */
final class HealthProbe {

    private final HttpClient http;
    private final Duration timeout;

    HealthProbe(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    ServiceHealth read(String service, String baseUrl) {
        String url = stripSlash(baseUrl) + "/health";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(response.body());
            String status = text(body, "status");
            if (status == null) {
                status = response.statusCode() == 200 ? "UP" : "DOWN";
            }
            return new ServiceHealth(service, url, status, text(body, "lastError"), text(body, "lastErrorAt"));
        } catch (java.net.ConnectException e) {
            return ServiceHealth.unreachable(service, url, "connection refused (is the " + service + " running, with its HTTP port here?)");
        } catch (java.net.http.HttpTimeoutException e) {
            return ServiceHealth.unreachable(service, url, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException | IllegalArgumentException e) {
            return ServiceHealth.unreachable(service, url, "no answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ServiceHealth.unreachable(service, url, "interrupted");
        }
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
