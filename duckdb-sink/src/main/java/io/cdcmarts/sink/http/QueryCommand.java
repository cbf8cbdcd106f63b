package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.Secrets;
import io.cdcmarts.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts query SQL}: one read-only query, through the running sink's {@code /api/query}
 * when it answers (DuckDB lets no other process open the file it holds), else on the file itself,
 * opened read-only. The same {@link ReadOnlyQuery} rules apply either way.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run one read-only query (SELECT, WITH, DESCRIBE, SHOW …) on the live DuckDB through the sink, "
                + "or on the file when no sink holds it.")
public class QueryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SQL", description = "The query; - reads it from standard input.")
    String sql;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:CDC_SINK_URL:-http://localhost:8080}",
            description = "The running sink's HTTP address (env CDC_SINK_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--duckdb", paramLabel = "PATH", defaultValue = "${env:CDC_DUCKDB_PATH:-" + SinkConfig.DEFAULT_DUCKDB_PATH + "}",
            description = "The DuckDB file, read when no sink answers at --url (env CDC_DUCKDB_PATH; default ${DEFAULT-VALUE}).")
    Path duckdb;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "${env:CDC_QUERY_FORMAT:-table}",
            description = "csv, json or table (env CDC_QUERY_FORMAT; default ${DEFAULT-VALUE}).")
    ResultFormat format;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "${env:CDC_QUERY_TIMEOUT:-30s}",
            description = "On the file: cancel the query after this long; through the sink, the sink's --query-timeout "
                    + "applies (env CDC_QUERY_TIMEOUT; default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "${env:CDC_QUERY_MAX_ROWS:-" + ReadOnlyQuery.DEFAULT_MAX_ROWS + "}",
            description = "On the file: most rows printed; through the sink, the sink's --query-max-rows applies "
                    + "(env CDC_QUERY_MAX_ROWS; default ${DEFAULT-VALUE}).")
    int maxRows;

    @Override
    public Integer call() throws Exception {
        String text = "-".equals(sql) ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) : sql;
        ReadOnlyQuery rules = new ReadOnlyQuery(SinkConfig.parseDuration("--timeout", timeout), maxRows);
        URI endpoint = endpoint();
        QueryResult result;
        Optional<QueryResult> viaSink = throughSink(endpoint, text);
        if (viaSink.isPresent()) {
            result = viaSink.get();
        } else {
            result = onFile(rules, text, endpoint);
        }
        PrintWriter out = spec.commandLine().getOut();
        format.print(result, out);
        out.flush();
        if (result.truncated()) {
            spec.commandLine().getErr().println("cdc-marts query: only the first " + result.rows().size()
                    + " rows are shown (the row limit); aggregate or add a LIMIT");
        }
        return 0;
    }

    private URI endpoint() {
        String base = url.trim().endsWith("/") ? url.trim() : url.trim() + "/";
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("--url " + Secrets.redact(url) + " is not an http:// address");
        }
        return uri.resolve("api/query");
    }

    /** The sink's answer, or empty when no sink answers there (nothing listens, or the sink stopped). */
    private Optional<QueryResult> throughSink(URI endpoint, String text) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.createObjectNode().put("sql", text).toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return Optional.empty();
        }
        if (response.statusCode() == 503 || response.statusCode() == 404) {
            // a stopped sink, or something else on that port: the file may still be readable
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(Secrets.redact(url) + " answered " + response.statusCode()
                    + " with something that is not JSON: is it the sink (--url)?", e);
        }
        if (response.statusCode() != 200) {
            throw new QueryRefusedException(body.path("error").asText("the sink answered " + response.statusCode()));
        }
        return Optional.of(QueryResult.fromJson(body));
    }

    private QueryResult onFile(ReadOnlyQuery rules, String text, URI endpoint) throws SQLException {
        if (duckdb.toString().contains(";") || duckdb.toString().contains("?")) {
            throw new IllegalArgumentException("--duckdb " + duckdb + ": a file path, without ?/; options");
        }
        String noSink = "no sink answers at " + Secrets.redact(endpoint.toString());
        if (!Files.isRegularFile(duckdb)) {
            throw new IllegalStateException(noSink + " (--url), and there is no DuckDB file at " + duckdb.toAbsolutePath()
                    + " (--duckdb)");
        }
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath() + ";access_mode=READ_ONLY");
        } catch (SQLException e) {
            String why = String.valueOf(e.getMessage()).contains("lock")
                    ? "it is held by another process (a sink serving another address? pass its --url)"
                    : e.getMessage();
            throw new IllegalStateException(noSink + " (--url), and the DuckDB file " + duckdb + " (--duckdb) cannot be read: " + why, e);
        }
        try (c) {
            ReadOnlyQuery.lockDown(c);
            return rules.run(c, text);
        }
    }
}
