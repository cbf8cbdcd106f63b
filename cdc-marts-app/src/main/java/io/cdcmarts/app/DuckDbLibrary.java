package io.cdcmarts.app;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * DuckDB's native library, which the build puts beside the shaded jar rather than in it: DuckDB's
 * driver copies a library it finds in its jar to a new temporary file at every start (57 MB, left
 * behind by a JVM that is killed), and loads one beside its jar as it is. Without either, the driver
 * fails at the first DuckDB file with a stack trace; this says what is missing before any command runs.
 */
final class DuckDbLibrary {

    /** The prefix of the driver's library names ({@code libduckdb_java.so_linux_amd64}, …). */
    static final String PREFIX = "libduckdb_java.so_";

    private DuckDbLibrary() {
    }

    /**
     * Why DuckDB cannot be loaded in this JVM, or empty when it can. Only the shaded jar lacks the
     * library; run from classes (tests, an IDE), DuckDB's own jar on the class path carries it.
     */
    static Optional<String> problem() {
        return runningJar().flatMap(DuckDbLibrary::missingBeside);
    }

    /** The one-line problem when no DuckDB library lies beside this jar. */
    static Optional<String> missingBeside(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        try (Stream<Path> files = Files.list(dir)) {
            if (files.anyMatch(f -> f.getFileName().toString().startsWith(PREFIX))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of("cannot list " + dir + " for DuckDB's native library: " + e.getMessage());
        }
        return Optional.of("DuckDB's native library (" + PREFIX + "<platform>) is not beside " + jar.toAbsolutePath()
                + ": the build puts it next to the jar in cdc-marts-app/target/; copy it along with the jar");
    }

    /** The jar this class was loaded from; empty when run from a classes directory (tests, an IDE). */
    private static Optional<Path> runningJar() {
        CodeSource source = DuckDbLibrary.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
