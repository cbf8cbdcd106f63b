package io.cdcmarts.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and the git commit this build came from, so that a bug report can say what ran
 * ({@code cdc-marts --version}, the {@code version} and {@code commit} of every {@code /health}).
 * Maven writes them into {@code build-info.properties} at build time (cdc-common's pom: the commit
 * from {@code .git}, or {@code -Dgit.commit.id=…} where there is none, as in the Docker build).
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the full git commit id, or {@value #UNKNOWN} when the build had neither {@code .git} nor {@code -Dgit.commit.id}
 * @param dirty   whether the working tree had uncommitted changes (false when unknown)
 */
public record BuildInfo(String version, String commit, boolean dirty) {

    /** What a value the build could not fill in reads as. */
    public static final String UNKNOWN = "unknown";

    private static final String RESOURCE = "build-info.properties";
    private static final BuildInfo CURRENT = load();

    /** This build's. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** From the properties Maven filtered; a placeholder Maven left unresolved counts as unknown. */
    static BuildInfo of(Properties p) {
        return new BuildInfo(value(p, "version"), value(p, "commit"), Boolean.parseBoolean(p.getProperty("dirty")));
    }

    /** {@code cdc-marts 0.1.0-SNAPSHOT (commit 6e49dda…, with uncommitted changes)}: one line. */
    public String describe(String name) {
        return name + " " + version + " (commit " + commit + (dirty ? ", with uncommitted changes" : "") + ")";
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? UNKNOWN : v.trim();
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the classpath", e);
        }
        return of(p);
    }
}
