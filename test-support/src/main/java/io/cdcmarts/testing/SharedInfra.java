package io.cdcmarts.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Infra} per JVM, started on first use and stopped at JVM exit, so every test class of
 * a module reuses the same broker and server. {@code -Dcdc.test.infra=embedded|containers} picks
 * the implementation; embedded is the default and needs no Docker.
 */
public final class SharedInfra {

    /** The system property that chooses the implementation. */
    public static final String PROPERTY = "cdc.test.infra";

    private static volatile Infra shared;
    private static final Map<Path, EmbeddedPostgresServer> OTHER_POSTGRES = new ConcurrentHashMap<>();

    private SharedInfra() {
    }

    public static Infra get() {
        Infra local = shared;
        if (local == null) {
            synchronized (SharedInfra.class) {
                local = shared;
                if (local == null) {
                    local = start(System.getProperty(PROPERTY, "embedded"));
                    shared = local;
                }
            }
        }
        return local;
    }

    private static Infra start(String kind) {
        return switch (kind) {
            case "embedded" -> new EmbeddedInfra(EmbeddedKafka.start(), EmbeddedPostgresServer.start());
            case "containers" -> new ContainersInfra();
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + kind
                    + " is not known: use embedded or containers");
        };
    }

    /**
     * Stops the shared servers if a test started them. Called when the JUnit session ends
     * ({@link SharedInfraSessionListener}), before JVM exit: left to shutdown hooks, stopping the
     * broker races Kafka's own hook that deletes its temporary log directory, and the broker then
     * halts the JVM with status 1 although every test passed.
     */
    public static synchronized void closeIfStarted() {
        Infra local = shared;
        shared = null;
        if (local != null) {
            local.close();
        }
        OTHER_POSTGRES.values().forEach(EmbeddedPostgresServer::close);
        OTHER_POSTGRES.clear();
    }

    /**
     * A second PostgreSQL server from another version's zonky binaries jar (shared per jar), for
     * the tests that need an older server; Kafka stays the shared one.
     */
    public static EmbeddedPostgresServer postgresFrom(Path binariesJar) {
        return OTHER_POSTGRES.computeIfAbsent(binariesJar, jar -> {
            return EmbeddedPostgresServer.start(jar, null);
        });
    }
}
