package io.cdcmarts.capture.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The real {@code cdc-marts sink}, started through the launcher ({@code bin/cdc-marts}) as a process
 * of its own, writing the raw layer into a DuckDB file. Arrival here is what the sink stored in
 * {@code _cdc.offsets}: it writes a partition's next offset in the same DuckDB transaction as that
 * batch's rows, so a position is a count of rows a reader of the file can see. It is read from
 * outside, through the sink's {@code /api/query}, as a user's {@code cdc-marts query} would.
 */
final class SinkProcess implements Arrivals, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final URI query;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SinkProcess(Process process, Path dir, URI query) {
        this.process = process;
        this.dir = dir;
        this.query = query;
    }

    /**
     * Starts {@code launcher sink} for the raw layer of {@code prefix} (and {@code extraArgs}), waits until it answers a query,
     * and returns it. Its log goes to {@code dir/sink.log}; {@link #close} deletes {@code dir} after a
     * clean stop and keeps it (the log, the file) otherwise.
     */
    static SinkProcess start(Path launcher, List<String> extraArgs, String bootstrap, String prefix, Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "sink",
                "--kafka-bootstrap", bootstrap, "--topic-prefix", prefix, "--layers", "raw",
                "--duckdb", dir.resolve("bench.duckdb").toString(), "--http-port", Integer.toString(port),
                // capture creates the raw topics once it runs: the sink looks for them every second
                // instead of every 10 s, so the wait for a new topic does not hide in the figures
                "--topic-refresh", "1s"));
        command.addAll(extraArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sink.log").toFile()).start();
        SinkProcess sink = new SinkProcess(process, dir, URI.create("http://127.0.0.1:" + port + "/api/query"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the sink exited with " + process.exitValue() + ": see " + dir.resolve("sink.log"));
            }
            try {
                sink.rows("SELECT 1");
                return sink;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    sink.close();
                    throw new IllegalStateException("the sink did not answer on " + sink.query + " within 2 minutes", notYet);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    @Override
    public long position(Collection<String> topics) throws Exception {
        String quoted = topics.stream().map(t -> "'" + t.replace("'", "''") + "'").collect(Collectors.joining(", "));
        JsonNode rows = rows("SELECT coalesce(sum(next_offset), 0) FROM _cdc.offsets WHERE topic IN (" + quoted + ")");
        return rows.get(0).get(0).asLong();
    }

    /** {@code count(*)} of each of these DuckDB tables, in order. */
    List<Long> counts(List<String> tables) throws Exception {
        String sql = tables.stream().map(t -> "(SELECT count(*) FROM " + t + ")").collect(Collectors.joining(", ", "SELECT ", ""));
        JsonNode row = rows(sql).get(0);
        List<Long> counts = new ArrayList<>();
        row.forEach(n -> counts.add(n.asLong()));
        return counts;
    }

    /** CPU the sink's process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public String where() {
        return "DuckDB";
    }

    @Override
    public long pollNanos() {
        // every poll is a query the sink answers: 10 ms keeps its cost to a few per cent of a core
        return TimeUnit.MILLISECONDS.toNanos(10);
    }

    private JsonNode rows(String sql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql)))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the sink refused " + sql + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("rows");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, then up to 30 s for the sink's own stop; the directory goes when the stop was clean. */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        int status = process.waitFor();
        if (status == 0 || status == 143) { // 143: the JVM's exit after a SIGTERM it handled
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            System.out.printf("The sink stopped with exit status %d; its log and file are in %s%n", process.exitValue(), dir);
        }
    }
}
