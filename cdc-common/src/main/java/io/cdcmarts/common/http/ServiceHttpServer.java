package io.cdcmarts.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.cdcmarts.common.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP server of every long-running service: {@code GET /health} (JSON, 200 when UP, 503 when
 * DOWN) and {@code GET /metrics} (Prometheus text), plus whatever routes the service adds (the sink's
 * API and dashboard). Requests run on a few threads of their own, so a slow query never delays a
 * health check.
 */
public final class ServiceHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttpServer.class);
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService workers;

    /**
     * Binds and starts the server.
     *
     * @param binding address and port (port 0 picks a free one)
     * @param service the service's name in the health document
     * @param health  asked on every {@code /health}
     * @param metrics the Prometheus scrape, e.g. {@code registry::scrape}
     * @throws UncheckedIOException naming the address when it cannot bind (port in use …)
     */
    public ServiceHttpServer(HttpBinding binding, String service, Supplier<Health> health, Supplier<String> metrics) {
        if (!binding.enabled()) {
            throw new IllegalArgumentException("HTTP is switched off (--http-port -1)");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(binding.address(), binding.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + binding.address() + ":" + binding.port()
                    + " (--http-bind/--http-port): " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, service + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        route("/health", exchange -> {
            Health h = health.get();
            HttpResponses.json(exchange, h.up() ? 200 : 503, h.toJson(service));
        });
        route("/metrics", exchange -> HttpResponses.text(exchange, 200, PROMETHEUS, metrics.get()));
        server.start();
        LOG.info("Serving /health and /metrics on http://{}:{}", binding.address(), port());
    }

    /**
     * Adds a route (a path prefix, as {@link HttpServer#createContext} matches them). A handler that
     * throws answers 500 with the message, with any password in it redacted.
     */
    public ServiceHttpServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            try {
                handler.handle(exchange);
            } catch (Exception e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), path, Secrets.redact(String.valueOf(e.getMessage())));
                answerFailure(exchange, e);
            } finally {
                exchange.close();
            }
        });
        return this;
    }

    private static void answerFailure(HttpExchange exchange, Exception e) {
        try {
            HttpResponses.error(exchange, 500, Secrets.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (IOException | RuntimeException ignored) {
            // the response had already started: the client sees a cut-off answer, which is all we can do
        }
    }

    /** The port it listens on (the chosen one when bound to port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
