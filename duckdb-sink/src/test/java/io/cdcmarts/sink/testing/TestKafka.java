package io.cdcmarts.sink.testing;

import io.cdcmarts.common.kafka.TopicAdmin;
import io.cdcmarts.testing.EmbeddedKafka;
import io.cdcmarts.testing.SharedInfra;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The real Kafka broker of this JVM's tests. The sink needs no PostgreSQL, so by default only an
 * in-process broker is started (test-support's {@link EmbeddedKafka}); with
 * {@code -Dcdc.test.infra=containers} the shared infrastructure is used instead.
 */
public final class TestKafka {

    private static volatile String bootstrap;

    private TestKafka() {
    }

    public static String bootstrap() {
        String b = bootstrap;
        if (b == null) {
            synchronized (TestKafka.class) {
                b = bootstrap;
                if (b == null) {
                    if ("containers".equals(System.getProperty(SharedInfra.PROPERTY))) {
                        b = SharedInfra.get().kafkaBootstrap();
                    } else {
                        EmbeddedKafka kafka = EmbeddedKafka.start();
                        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-shutdown"));
                        b = kafka.bootstrapServers();
                    }
                    bootstrap = b;
                }
            }
        }
        return b;
    }

    /** Creates compacted topics (dead-letter topics, named *.dlq.*, time-retained) with {@code partitions} each. */
    public static void createTopics(int partitions, String... topics) {
        try (TopicAdmin admin = TopicAdmin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()), partitions, (short) 1)) {
            for (String t : topics) {
                admin.ensure(t.contains(".dlq.") ? admin.retained(t, TopicAdmin.DLQ_RETENTION_MS) : admin.compacted(t));
            }
        }
    }

    public static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** One message as a test writes it. */
    public record Message(String topic, Integer partition, byte[] key, byte[] value) {
        public static Message of(String topic, byte[] key, byte[] value) {
            return new Message(topic, null, key, value);
        }
    }

    /** Sends every message (in order per partition: the producer is idempotent) and waits until all are acknowledged. */
    public static void send(List<Message> messages) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>(messages.size());
            for (Message m : messages) {
                acks.add(producer.send(new ProducerRecord<>(m.topic(), m.partition(), m.key(), m.value())));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
