package io.cdcmarts.testing;

import io.cdcmarts.common.PgDsn;

/** Infra with everything in-process: no Docker needed. The default. */
final class EmbeddedInfra implements Infra {

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgresServer postgres;

    EmbeddedInfra(EmbeddedKafka kafka, EmbeddedPostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    @Override
    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    @Override
    public PgDsn postgres() {
        return postgres.dsn();
    }

    @Override
    public int postgresMajorVersion() {
        return postgres.majorVersion();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            kafka.close();
        }
    }
}
