package io.cdcmarts.testing;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InfraIT {

    private final Infra infra = SharedInfra.get();

    @Test
    void postgresIsReadyForLogicalReplicationInItsOwnDatabase() throws Exception {
        PgDsn dsn = infra.newDatabase("infra_it");

        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
            assertThat(c.getCatalog()).isEqualTo(dsn.database());
        }
        assertThat(infra.postgresMajorVersion()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void kafkaRoundTripsARecordOnATopicWeCreated() {
        String topic = "infra-it.raw.things";
        try (TopicAdmin admin = TopicAdmin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()), 1, (short) 1)) {
            admin.ensure(admin.compacted(topic));
            admin.ensure(admin.compacted(topic)); // a second call is a no-op, not an error
        }
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v"));
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "infra-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = consumer.poll(Duration.ofMillis(500));
            }
            assertThat(records.count()).isEqualTo(1);
            assertThat(records.iterator().next().value()).isEqualTo("v");
        }
    }
}
