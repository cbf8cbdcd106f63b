package io.cdcmarts.testing;

import io.cdcmarts.common.PgDsn;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Infra on Testcontainers, for machines with Docker: the seed's {@code postgres:18-alpine} and the
 * official {@code apache/kafka} image. Chosen with {@code -Dcdc.test.infra=containers}.
 */
final class ContainersInfra implements Infra {

    private final PostgreSQLContainer<?> postgres;
    private final KafkaContainer kafka;

    ContainersInfra() {
        postgres = new PostgreSQLContainer<>(DockerImageName.parse("postgres:18-alpine"))
                .withUsername("postgres").withPassword("postgres").withDatabaseName("postgres")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                        "-c", "max_wal_senders=20", "-c", "max_connections=200");
        kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.0"))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        postgres.start();
        kafka.start();
    }

    @Override
    public String kafkaBootstrap() {
        return kafka.getBootstrapServers();
    }

    @Override
    public PgDsn postgres() {
        return PgDsn.of(postgres.getHost(), postgres.getMappedPort(5432), "postgres", "postgres", "postgres");
    }

    @Override
    public int postgresMajorVersion() {
        return 18;
    }

    @Override
    public void close() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}
