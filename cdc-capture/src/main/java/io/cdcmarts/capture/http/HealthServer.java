package io.cdcmarts.capture.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cdcmarts.capture.CaptureStatus;
import io.cdcmarts.common.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /health} (JSON; 200 while capture runs, else 503) and {@code GET /metrics}
 * (Prometheus text) of the capture service, the same shape as the other services serve.
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    public HealthServer(int port, Supplier<CaptureStatus> status, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/health", exchange -> {
            CaptureStatus s = status.get();
            respond(exchange, s.state() == CaptureStatus.State.RUNNING ? 200 : 503, "application/json",
                    body(s).toString());
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
    }

    /** The health document: service, state, healthy, last_lsn, last_source_ts, events_sent, last_error. */
    public static ObjectNode body(CaptureStatus s) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("service", "capture");
        body.put("state", s.state().name());
        body.put("healthy", s.state() == CaptureStatus.State.RUNNING);
        body.put("last_lsn", s.lastLsn());
        body.put("last_source_ts", s.lastSourceTime() == null ? null : s.lastSourceTime().toString());
        ObjectNode sent = body.putObject("events_sent");
        s.eventsSent().forEach(sent::put);
        body.put("last_error", s.lastError());
        return body;
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
