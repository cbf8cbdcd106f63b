package io.cdcmarts.testing;

import io.cdcmarts.common.PgDsn;

/**
 * The real servers a test (or {@code cdc-marts local}) runs against: one Kafka broker and one
 * PostgreSQL server with {@code wal_level=logical}. Tests share one instance per JVM and isolate
 * themselves with their own database ({@link #newDatabase}) and their own topic prefix.
 */
public interface Infra extends AutoCloseable {

    /** Kafka bootstrap servers, host:port. */
    String kafkaBootstrap();

    /** A superuser DSN of the PostgreSQL server's default database. */
    PgDsn postgres();

    /** The server's major version (15, 18 …). */
    int postgresMajorVersion();

    /** Creates an empty database on the server and returns its DSN. */
    default PgDsn newDatabase(String name) {
        return Databases.create(postgres(), name);
    }

    @Override
    void close();
}
