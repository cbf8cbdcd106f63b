package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * A PostgreSQL server from another version's zonky binaries jar, one per jar and JVM, set up for
 * logical replication like the shared one.
 *
 * <p>A copy of {@code SharedInfra.postgresFrom} with one difference: zonky names the archive inside
 * its jars in lower case ({@code postgres-linux-x86_64.txz}) while test-support's resolver asks for
 * {@code postgres-Linux-x86_64.txz}, so that one cannot start the 15.x binaries. Remove this class
 * once test-support lower-cases the name.
 */
final class OlderPostgres {

    private static final Map<Path, EmbeddedPostgres> SERVERS = new ConcurrentHashMap<>();

    private OlderPostgres() {
    }

    /** The superuser DSN of the server from {@code binariesJar}, started on first use. */
    static PgDsn from(Path binariesJar) {
        EmbeddedPostgres pg = SERVERS.computeIfAbsent(binariesJar, OlderPostgres::start);
        return PgDsn.of("localhost", pg.getPort(), "postgres", "postgres", null);
    }

    /** Stops every server started here. */
    static void closeAll() {
        SERVERS.values().forEach(pg -> {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        SERVERS.clear();
    }

    static int majorVersion(PgDsn dsn) {
        EmbeddedPostgres pg = SERVERS.values().stream().filter(p -> p.getPort() == dsn.port()).findFirst().orElseThrow();
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            return c.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmbeddedPostgres start(Path jar) {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setPgBinaryResolver(resolver(jar))
                    .setOverrideWorkingDirectory(Files.createDirectories(
                            Path.of(System.getProperty("java.io.tmpdir"), "cdc-marts-pg-" + jar.getFileName())).toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "pg-older-shutdown"));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL from " + jar + ": " + e.getMessage(), e);
        }
    }

    private static PgBinaryResolver resolver(Path jar) {
        return (system, machineHardware) -> {
            JarFile file = new JarFile(jar.toFile());
            String name = ("postgres-" + system + "-" + machineHardware + ".txz").toLowerCase(Locale.ROOT);
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                file.close();
                throw new IOException(jar + " has no " + name);
            }
            InputStream in = file.getInputStream(entry);
            return new FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    super.close();
                    file.close();
                }
            };
        };
    }
}
