package io.cdcmarts.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code cdc-marts} service ({@code capture}, {@code process} or {@code sink}) as a process of
 * its own, run from the shaded jar as a user runs it, for tests that kill it with SIGKILL and start
 * it again with the same options. Each run writes its own log ({@code <name>-<run>.log}), kept.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final Path logs;
    private final List<String> options;
    private Process process;
    private int runs;

    /**
     * @param name    the subcommand ({@code capture}, {@code process}, {@code sink})
     * @param jar     the shaded jar
     * @param logs    where each run's log goes
     * @param options the subcommand's options, the same for every run
     */
    ServiceProcess(String name, Path jar, Path logs, List<String> options) {
        this.name = name;
        this.jar = jar;
        this.logs = logs;
        this.options = List.copyOf(options);
    }

    String name() {
        return name;
    }

    /** Starts the next run; returns {@link System#nanoTime()} just before the JVM is launched. */
    long start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // As bin/cdc-marts starts it: java.library.path for RocksDB's native library beside the jar,
        // and the build's class-data archive while it is the jar's own (newer than the jar)
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
                "-Djava.library.path=" + jar.toAbsolutePath().getParent()));
        Path archive = jar.resolveSibling("cdc-marts.jsa");
        if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        // CDC_TEST_SERVICE_JVM_OPTS: JVM options for a look inside (a class-load log, a JFR recording)
        String extra = System.getenv().getOrDefault("CDC_TEST_SERVICE_JVM_OPTS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), name));
        command.addAll(options);
        runs++;
        long started = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile()).start();
        return started;
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " is still there 30 s after SIGKILL");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit code of the current run, once it ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** The log of the current run. */
    Path log() {
        return logs.resolve(name + "-" + runs + ".log");
    }

    /** The last lines of the current run's log, for a failure message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
