package io.cdcmarts.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing responses of the JDK HTTP server: text, JSON, and JSON errors. */
public final class HttpResponses {

    public static final String JSON = "application/json; charset=utf-8";

    private HttpResponses() {
    }

    public static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        // the dashboard polls: never show a cached answer
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void text(HttpExchange exchange, int code, String type, String body) throws IOException {
        send(exchange, code, type, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void json(HttpExchange exchange, int code, JsonNode body) throws IOException {
        text(exchange, code, JSON, body.toString());
    }

    /** {@code {"error": message}} with the given status. */
    public static void error(HttpExchange exchange, int code, String message) throws IOException {
        json(exchange, code, Json.MAPPER.createObjectNode().put("error", message));
    }
}
