package io.cdcmarts.processor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cdcmarts.common.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /health} (JSON, 200 or 503) and {@code GET /metrics} (Prometheus text) of the processor. */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    public HealthServer(int port, Supplier<ProcessorService.Status> status, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/health", exchange -> {
            ProcessorService.Status s = status.get();
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("service", "processor");
            body.put("state", s.state().name());
            body.put("healthy", s.healthy());
            body.put("last_error", s.lastError());
            body.put("last_error_at", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
            respond(exchange, s.healthy() ? 200 : 503, "application/json", body.toString());
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
