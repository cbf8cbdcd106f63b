package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.http.Health;
import io.cdcmarts.common.http.HttpResponses;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.SinkStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The sink's routes on its {@link ServiceHttpServer}: {@code POST /api/query} (read-only SQL),
 * {@code GET /api/status}, {@code GET /api/dashboard} and the dashboard page at {@code /}.
 * Queries and the dashboard read through connections of their own into the sink's database
 * (DuckDB lets no other process open the file), each used by one request at a time.
 */
public final class SinkHttp implements AutoCloseable {

    /** The largest request body accepted: SQL, not data. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/dashboard.js", "dashboard.js", "/dashboard.css", "dashboard.css");

    /**
     * What a query may cost.
     *
     * @param queryTimeout a query is cancelled after this long
     * @param queryMaxRows at most this many rows are returned ({@code truncated} says when there were more)
     */
    public record Options(Duration queryTimeout, int queryMaxRows) {
        public static Options defaults() {
            return new Options(ReadOnlyQuery.DEFAULT_TIMEOUT, ReadOnlyQuery.DEFAULT_MAX_ROWS);
        }
    }

    private final SinkService sink;
    private final ReadOnlyQuery query;
    private final Connection queryReader;
    private final Connection dashboardReader;
    private final SinkStatusReport status;
    private final Throughput throughput;
    private final DashboardData dashboard;

    /**
     * Adds the routes to {@code server} for a started sink, and switches off DuckDB's external
     * access for the sink's database ({@link ReadOnlyQuery#lockDown}).
     */
    public SinkHttp(ServiceHttpServer server, SinkService sink, Options options) throws SQLException {
        this.sink = sink;
        this.query = new ReadOnlyQuery(options.queryTimeout(), options.queryMaxRows());
        this.queryReader = sink.openReader();
        this.dashboardReader = sink.openReader();
        ReadOnlyQuery.lockDown(queryReader);
        this.status = new SinkStatusReport(sink, Clock.systemUTC());
        this.throughput = new Throughput(sink::status);
        this.dashboard = new DashboardData(status, throughput);
        server.route("/api/query", unlessStopped(this::query));
        server.route("/api/status", unlessStopped(exchange -> {
            if (allowed(exchange, "GET")) {
                HttpResponses.json(exchange, 200, read(dashboardReader, () -> status.toJson(dashboardReader)));
            }
        }));
        server.route("/api/dashboard", unlessStopped(exchange -> {
            if (allowed(exchange, "GET")) {
                HttpResponses.json(exchange, 200, read(dashboardReader, () -> dashboard.toJson(dashboardReader)));
            }
        }));
        server.route("/", this::page);
    }

    /**
     * The sink's {@code /health}: UP while its poll loop runs and reads at least one partition (DOWN,
     * with {@code waiting}, while no topic of its own exists yet: it does no work then); details
     * {@code partitions}, {@code batches}, {@code rowsApplied}.
     */
    public static Health health(SinkStatus s) {
        boolean waiting = s.running() && s.partitions() == 0;
        return new Health(s.running() && !waiting, s.lastError(), s.lastErrorAt(), body -> {
            if (waiting) {
                body.put("waiting", "no partitions assigned yet: no topic of this sink's prefix exists");
            }
            body.put("partitions", s.partitions());
            body.put("batches", s.batches());
            var rows = body.putObject("rowsApplied");
            s.rowsApplied().forEach(rows::put);
        });
    }

    private void query(HttpExchange exchange) throws IOException {
        if (!allowed(exchange, "POST")) {
            return;
        }
        String sql;
        try {
            sql = sqlOf(exchange);
        } catch (QueryRefusedException e) {
            HttpResponses.error(exchange, 400, e.getMessage());
            return;
        }
        try {
            QueryResult result = read(queryReader, () -> query.run(queryReader, sql));
            HttpResponses.json(exchange, 200, result.toJson());
        } catch (QueryRefusedException e) {
            HttpResponses.error(exchange, 400, e.getMessage());
        }
    }

    /** The SQL of the body: {@code {"sql": "..."}} when it is JSON, else the body itself. */
    private static String sqlOf(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new QueryRefusedException("the request body is over " + MAX_BODY_BYTES + " bytes");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean json = (type != null && type.toLowerCase().contains("json")) || text.stripLeading().startsWith("{");
        if (!json) {
            return text;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new QueryRefusedException("the body is not valid JSON: send {\"sql\": \"SELECT …\"} or the SQL as plain text");
        }
        if (node == null || !node.path("sql").isTextual()) {
            throw new QueryRefusedException("the JSON body has no \"sql\" text: send {\"sql\": \"SELECT …\"}");
        }
        return node.get("sql").asText();
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!allowed(exchange, "GET")) {
            return;
        }
        String file = PAGES.get(exchange.getRequestURI().getPath());
        if (file == null) {
            HttpResponses.error(exchange, 404, "no such page: " + exchange.getRequestURI().getPath());
            return;
        }
        try (InputStream in = SinkHttp.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + file + " is missing from the jar");
            }
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            HttpResponses.send(exchange, 200, type, in.readAllBytes());
        }
    }

    private static boolean allowed(HttpExchange exchange, String method) throws IOException {
        if (exchange.getRequestMethod().equalsIgnoreCase(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", method);
        HttpResponses.error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; use " + method);
        return false;
    }

    /** Thrown by {@link #read} once the sink has stopped: its database is closed. */
    private static final class SinkNotRunningException extends RuntimeException {
        SinkNotRunningException() {
            super("the sink is not running (its DuckDB file is closed); see /health for its last error");
        }
    }

    private static HttpHandler unlessStopped(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (SinkNotRunningException e) {
                HttpResponses.error(exchange, 503, e.getMessage());
            }
        };
    }

    private interface Read<T> {
        T run() throws SQLException;
    }

    /** One request at a time per connection; a closed sink answers 503 through {@link SinkNotRunningException}. */
    private <T> T read(Connection reader, Read<T> work) {
        synchronized (reader) {
            try {
                if (reader.isClosed() || !sink.status().running()) {
                    throw new SinkNotRunningException();
                }
                return work.run();
            } catch (SQLException e) {
                throw new IllegalStateException("reading DuckDB failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        throughput.close();
        for (Connection c : new Connection[]{queryReader, dashboardReader}) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the sink closes its readers itself when it stops
            }
        }
    }
}
