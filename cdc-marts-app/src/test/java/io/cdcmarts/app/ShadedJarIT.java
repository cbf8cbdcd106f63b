package io.cdcmarts.app;

import io.cdcmarts.app.status.ServiceHealth;
import io.cdcmarts.app.status.StatusCollector;
import io.cdcmarts.app.status.StatusReport;
import io.cdcmarts.app.status.StatusTargets;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.BuildInfo;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command, as a user runs it: {@code bin/cdc-marts local} in its own process,
 * from the shaded jar the build made and the native libraries it put beside it. The other tests
 * run against classes, so only this one sees what the jar leaves out (a dependency scoped to tests once kept {@code local}'s broker
 * from starting). It must show marts over HTTP, stop cleanly on SIGTERM, and leave a file whose
 * marts equal their batch recomputation; {@code status} with its defaults must report every stage UP
 * from {@code local}'s one port, and the whole run must log no WARN or ERROR line.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "cdc-marts.jar");

    /**
     * Under target/, not the OS temp directory: Kafka Streams rightly warns about state kept where
     * the OS may clear it, and this test requires a run without warnings.
     */
    private Path dir;

    @BeforeEach
    void dataDirectoryUnderTarget() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-data")), "shaded-jar-it");
    }

    @Test
    void localFromTheJarShowsMartsAndStopsCleanlyOnSigterm() throws Exception {
        assertThat(JAR).as("the shaded jar (built in the package phase, before integration tests)").exists();
        int[] ports = freePorts(3);
        int httpPort = ports[0];
        int kafkaPort = ports[1];
        int pgPort = ports[2];
        Path duckdb = dir.resolve("data").resolve("cdc-marts.duckdb");
        Path log = dir.resolve("local.log");
        // Its own temporary directory, to see what the run puts there
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ProcessBuilder launch = new ProcessBuilder("../bin/cdc-marts", "local",
                "--data-dir", dir.resolve("data").toString(), "--duckdb", duckdb.toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--pg-port", Integer.toString(pgPort),
                "--http-port", Integer.toString(httpPort), "--orders", "60", "--rate", "5")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        launch.environment().put("JAVA_HOME", javaHome());
        launch.environment().put("JAVA_OPTS", "-Xmx1g -Djava.io.tmpdir=" + tmp.toAbsolutePath());
        Process local = launch.start();
        try {
            // When it has run a while, the marts are there through the sink's query API
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(local.isAlive()).as("local is running; its output:\n%s", tail(log)).isTrue();
                HttpResponse<String> kpis = query(http, httpPort, "SELECT orders FROM mart.kpis");
                assertThat(kpis.statusCode()).as(kpis.body()).isEqualTo(200);
                assertThat(kpis.body()).contains("\"rowCount\":1");
            });
            // ... with DuckDB and RocksDB loaded from beside the jar, not from copies in the
            // temporary directory (a copy of 57 and 15 MB at each start, left behind by a kill -9)
            try (var files = Files.list(tmp)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("native libraries copied out of the jar").noneMatch(n -> n.startsWith("libduckdb_java") || n.startsWith("librocksdbjni"));
            }
            // ... /health says which build runs, for local and each of its services
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode healthBody = Json.MAPPER.readTree(health.body());
            BuildInfo build = BuildInfo.current();
            assertThat(healthBody.path("version").asText()).isEqualTo(build.version());
            assertThat(healthBody.path("commit").asText()).isEqualTo(build.commit());
            for (String service : List.of("capture", "processor", "sink")) {
                assertThat(healthBody.path("services").path(service).path("commit").asText()).as(service).isEqualTo(build.commit());
            }
            // ... and status, with the README's defaults for capture and processor (nothing of local
            // listens there), reports every stage UP from local's one port, and no lag once caught up
            StatusCollector status = new StatusCollector(new StatusTargets(KafkaSettings.of("localhost:" + kafkaPort, "shop"),
                    PgDsn.of("localhost", pgPort, "postgres", "postgres", "postgres"), "cdc_marts_shop",
                    "cdc-marts-sink-shop", "cdc-marts-processor-shop", "http://localhost:8081", "http://localhost:8082",
                    "http://127.0.0.1:" + httpPort, duckdb, Duration.ofSeconds(10)), Clock.systemUTC());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                StatusReport r = status.collect();
                assertThat(r.services()).extracting(ServiceHealth::service).containsExactly("capture", "processor", "sink");
                assertThat(r.services()).allSatisfy(h -> {
                    assertThat(h.status()).as(h.service() + " " + h.lastError()).isEqualTo("UP");
                    assertThat(h.url()).isEqualTo("http://127.0.0.1:" + httpPort + "/health");
                });
                assertThat(r.slot().active()).isTrue();
                assertThat(r.layers().error()).isNull();
            });
        } finally {
            // Then SIGTERM stops it cleanly: drained, DuckDB closed, exit without a stack trace
            local.destroy();
            assertThat(local.waitFor(3, TimeUnit.MINUTES)).as("local stops within 3 minutes").isTrue();
        }
        assertThat(Files.readString(log)).contains("cdc-marts local stopped cleanly");
        // A healthy run, start to clean stop, under the jar's own logging configuration: not one
        // WARN or ERROR line (the layout is "HH:mm:ss.SSS LEVEL logger message")
        assertThat(Files.readAllLines(log)).as("warnings or errors of a healthy run")
                .filteredOn(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) .*")).isEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath())) {
            VerifyReport report = new MartVerifier().verify(c);
            assertThat(report.allEqual()).as(report.render(10)).isTrue();
        }
    }

    @Test
    void versionNamesTheVersionAndTheCommitTheJarWasBuiltFrom() throws Exception {
        assertThat(JAR).as("the shaded jar (built in the package phase, before integration tests)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process version = new ProcessBuilder(java, "-jar", JAR.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes()).trim();
        assertThat(version.waitFor(1, TimeUnit.MINUTES)).isTrue();

        assertThat(version.exitValue()).as(out).isZero();
        // The jar was built in this reactor, from the same checkout as the classes this test runs on
        BuildInfo build = BuildInfo.current();
        assertThat(out).isEqualTo(build.describe("cdc-marts"));
        assertThat(build.commit()).as("a build from a git checkout knows its commit").matches("[0-9a-f]{40}");
    }

    @Test
    void theBuildsClassDataArchiveServesTheJarsOwnClasses() throws Exception {
        assertThat(JAR).as("the shaded jar (built in the package phase, before integration tests)").exists();
        Path archive = JAR.resolveSibling("cdc-marts.jsa");
        assertThat(archive).as("the class-data archive the build dumps beside the jar").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        // A JVM that must use it (-Xshare:on) loads the application's classes from it, not from the jar
        Process version = new ProcessBuilder(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info",
                "-jar", JAR.toString(), "--version").redirectErrorStream(true).start();
        List<String> out = new String(version.getInputStream().readAllBytes()).lines().toList();
        assertThat(version.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(version.exitValue()).as(String.join("\n", out)).isZero();
        assertThat(out).as("the application's classes come from the archive")
                .anyMatch(l -> l.contains(" io.cdcmarts.app.CdcMarts source: shared objects file"))
                .noneMatch(l -> l.contains(" io.cdcmarts.app.CdcMarts source: file:"));
    }

    @Test
    void theLauncherLeavesTheArchiveOutOfAFlightRecording() throws Exception {
        assertThat(JAR.resolveSibling("cdc-marts.jsa")).as("the class-data archive the build dumps beside the jar").exists();
        // OpenJDK 17.0.15 crashes `local` at start with a recording over archived classes (bin/cdc-marts says why)
        assertThat(launcherClassSource("-Xlog:class+load=info")).as("without a recording: from the archive")
                .anyMatch(l -> l.contains(" io.cdcmarts.app.CdcMarts source: shared objects file"));
        assertThat(launcherClassSource("-XX:StartFlightRecording=filename=" + dir.resolve("r.jfr") + " -Xlog:class+load=info"))
                .as("with a recording: from the jar")
                .anyMatch(l -> l.contains(" io.cdcmarts.app.CdcMarts source: file:"))
                .noneMatch(l -> l.contains(" io.cdcmarts.app.CdcMarts source: shared objects file"));
    }

    /** The class-load log of {@code bin/cdc-marts --version} run with {@code javaOpts}. */
    private List<String> launcherClassSource(String javaOpts) throws Exception {
        ProcessBuilder launch = new ProcessBuilder("../bin/cdc-marts", "--version").redirectErrorStream(true);
        launch.environment().put("JAVA_HOME", javaHome());
        launch.environment().put("JAVA_OPTS", javaOpts);
        Process version = launch.start();
        List<String> out = new String(version.getInputStream().readAllBytes()).lines().toList();
        assertThat(version.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(version.exitValue()).as(String.join("\n", out)).isZero();
        return out;
    }

    @Test
    void theRepositorysClassListNamesTheClassesAShortRunLoadsToday() throws Exception {
        assertThat(JAR).as("the shaded jar (built in the package phase, before integration tests)").exists();
        Path recorded = dir.resolve("cdc-marts.classlist");
        Path log = dir.resolve("cds-classlist.log");
        // The recording the repository's list comes from, with this JVM and ports of its own
        ProcessBuilder recording = new ProcessBuilder("../bin/cds-classlist", JAR.toString(), recorded.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        recording.environment().put("JAVA_HOME", javaHome());
        recording.environment().put("TMPDIR", dir.toString());
        int[] ports = freePorts(2);
        recording.environment().put("CDC_CDS_KAFKA_PORT", Integer.toString(ports[0]));
        recording.environment().put("CDC_CDS_PG_PORT", Integer.toString(ports[1]));
        Process recorder = recording.start();
        assertThat(recorder.waitFor(5, TimeUnit.MINUTES)).as("cds-classlist ends within 5 minutes").isTrue();
        assertThat(recorder.exitValue()).as(Files.readString(log)).isZero();

        // Then the run loaded every service's classes, and the list the build uses names nearly all
        // of them: a list that fell behind the code only makes starts slower, so it is caught here
        Set<String> loaded = classes(recorded);
        assertThat(loaded).contains("io/cdcmarts/capture/CaptureService", "io/cdcmarts/processor/ProcessorService",
                "io/cdcmarts/sink/SinkService");
        Set<String> listed = classes(Path.of("src", "main", "cds", "cdc-marts.classlist"));
        List<String> unlisted = loaded.stream().filter(c -> !listed.contains(c)).sorted().toList();
        assertThat(unlisted.size()).as("classes a short run loads that cdc-marts-app/src/main/cds/cdc-marts.classlist does not name"
                + " (record it again with bin/cds-classlist): %s", unlisted.subList(0, Math.min(20, unlisted.size())))
                .isLessThanOrEqualTo(loaded.size() / 20);
        // ... and the recording left nothing of its training run behind
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cdc-marts.classlist", "cds-classlist.log");
        }
    }

    /** The classes a class list names (not its comments nor its lambda-form lines). */
    private static Set<String> classes(Path list) throws IOException {
        try (var lines = Files.lines(list)) {
            return lines.filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("@"))
                    .map(l -> l.split(" ")[0]).collect(Collectors.toSet());
        }
    }

    private static HttpResponse<String> query(HttpClient http, int port, String sql) throws IOException, InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + sql + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the HTTP server of local does not answer yet: " + e, e);
        }
    }

    /** The home of the JVM that runs this test, for the launch scripts. */
    private static String javaHome() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent().toString();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Distinct free ports: each socket stays open until all are found, so none is handed out twice. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                open.add(new ServerSocket(0));
            }
            return open.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : open) {
                socket.close();
            }
        }
    }
}
