package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka refuses an event (its topic was deleted under capture's feet): capture stops and says why,
 * with no offset committed past the event; once the topic is back, a restart delivers it.
 */
class CaptureKafkaFailureIT {

    private final Infra infra = SharedInfra.get();

    @Test
    void aRefusedEventStopsCaptureAndIsDeliveredAfterRestart() throws Exception {
        // Given capture running, with a producer that gives up quickly
        String prefix = "capture-failure-it";
        TopicNames topics = new TopicNames(prefix);
        PgDsn db = infra.newDatabase(prefix);
        Sql.run(db, "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO products VALUES (1, 'a')");
        KafkaSettings kafka = new KafkaSettings(infra.kafkaBootstrap(), topics, 1, (short) 1,
                Map.of("max.block.ms", "3000", "request.timeout.ms", "2000", "delivery.timeout.ms", "5000"));
        CaptureConfig config = CaptureConfig.builder(db, kafka).offsetFlushInterval(Duration.ofSeconds(1)).build();
        AtomicReference<Throwable> reported = new AtomicReference<>();
        try (CaptureService first = new CaptureService(config, new SimpleMeterRegistry())) {
            first.onFailure(reported::set);
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> RawTopics.read(infra.kafkaBootstrap(), topics.raw("products")).size() == 1);

            // When its topic disappears and a change comes
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
                admin.deleteTopics(List.of(topics.raw("products"))).all().get();
            }
            Sql.run(db, "INSERT INTO products VALUES (2, 'b')");

            // Then capture stops and says why
            await().atMost(Duration.ofSeconds(60)).until(() -> first.status().state() == CaptureStatus.State.FAILED);
            assertThat(first.status().lastError()).contains("products");
            await().atMost(Duration.ofSeconds(10)).until(() -> reported.get() != null);
        }

        // and a restart (which creates the topic again) delivers the change that was refused
        try (CaptureService second = new CaptureService(config, new SimpleMeterRegistry())) {
            second.start();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    RawTopics.read(infra.kafkaBootstrap(), topics.raw("products")))
                    .anySatisfy(m -> {
                        assertThat(m.keyJson().get("id").asInt()).isEqualTo(2);
                        assertThat(m.event().op()).isEqualTo("c");
                    }));
        } finally {
            Sql.run(db, "SELECT pg_drop_replication_slot('" + config.slot() + "')");
        }
    }
}
