package io.cdcmarts.sink.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian's {@code chromium} package) driven from the command line: load a page,
 * let its scripts run for a virtual time budget, and return the DOM or a screenshot. The network
 * here is closed, so everything that phones home is switched off.
 */
final class Chromium {

    /** Set to 1 where the browser test must run (CI): a missing browser then fails instead of skipping. */
    static final String REQUIRED_ENV = "CDC_BROWSER_REQUIRED";

    private final Path binary;

    private Chromium(Path binary) {
        this.binary = binary;
    }

    /** The browser of {@code CDC_CHROMIUM}, else the first of chromium, chromium-browser, google-chrome on the PATH. */
    static Optional<Chromium> find() {
        List<Path> candidates = new ArrayList<>();
        String explicit = System.getenv("CDC_CHROMIUM");
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                candidates.add(Path.of(dir, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Chromium::new);
    }

    static boolean required() {
        return "1".equals(System.getenv(REQUIRED_ENV));
    }

    /** The page's DOM after {@code budgetMs} of virtual time (timers run; network waits do not count). */
    String dumpDom(URI page, int budgetMs) {
        return run(page, "--virtual-time-budget=" + budgetMs, "--dump-dom");
    }

    /** A PNG of the page at {@code width}×{@code height} after {@code budgetMs} of virtual time. */
    void screenshot(URI page, Path png, int width, int height, int budgetMs) {
        run(page, "--virtual-time-budget=" + budgetMs, "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath());
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private String run(URI page, String... extra) {
        Path profile = null;
        try {
            profile = Files.createTempDirectory("chromium-profile");
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
            command.addAll(List.of(extra));
            command.add(page.toString());
            Path err = profile.resolve("stderr.txt");
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is no failure of the test
        }
    }
}
