package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureServiceTest {

    @Test
    void unreachablePostgresFailsNamingHostPortAndDatabaseButNotThePassword() throws IOException {
        // Given a port nothing listens on (and a broker that answers: capture asks Kafka first)
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PgDsn dsn = PgDsn.of("127.0.0.1", port, "shop", "alice", "s3cret-pw");
        CaptureService service = new CaptureService(
                CaptureConfig.builder(dsn, KafkaSettings.of(SharedInfra.get().kafkaBootstrap(), "unreachable")).build(),
                new SimpleMeterRegistry());

        // When / Then
        assertThatThrownBy(service::start)
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("database 'shop'")
                .hasMessageNotContaining("s3cret-pw");
        assertThat(service.status().state()).isEqualTo(CaptureStatus.State.FAILED);
        assertThat(service.status().lastError()).contains("127.0.0.1:" + port).doesNotContain("s3cret-pw");
        service.close(); // nothing to stop, no error
    }

    @Test
    void closeBeforeStartIsHarmless() {
        CaptureService service = new CaptureService(CaptureConfig.builder(PgDsn.of("localhost", 5432, "db", "u", "p"),
                KafkaSettings.of("localhost:9092", "shop")).build(), new SimpleMeterRegistry());

        service.close();

        assertThat(service.status().state()).isEqualTo(CaptureStatus.State.NEW);
    }

    @Test
    void theProducerCompressesWithLz4InLargeBatchesUnlessTheUserSaysOtherwise() {
        PgDsn dsn = PgDsn.of("localhost", 5432, "db", "u", "p");
        CaptureService byDefault = new CaptureService(CaptureConfig.builder(dsn,
                KafkaSettings.of("localhost:9092", "shop")).build(), new SimpleMeterRegistry());
        CaptureService overridden = new CaptureService(CaptureConfig.builder(dsn,
                new KafkaSettings("localhost:9092", new io.cdcmarts.common.TopicNames("shop"), 1, (short) 1,
                        java.util.Map.of("compression.type", "zstd", "batch.size", "65536", "acks", "1"))).build(),
                new SimpleMeterRegistry());

        assertThat(byDefault.producerConfig()).containsEntry("compression.type", "lz4")
                .containsEntry("batch.size", 512 * 1024).containsEntry("acks", "all");
        assertThat(overridden.producerConfig()).containsEntry("compression.type", "zstd")
                .containsEntry("batch.size", "65536")
                .as("delivery still needs every replica's acknowledgement").containsEntry("acks", "all");
    }
}
