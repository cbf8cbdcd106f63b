package io.cdcmarts.processor.serde;

import io.cdcmarts.common.cli.Durations;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.SchemaIds;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes typed-row schemas to {@code <prefix>.schemas}, the topic capture keeps the raw schemas
 * in (same id rule, same reader). Its own small producer, outside the stream threads' transactions:
 * a schema must be readable before the transaction that names it commits, and an aborted
 * transaction leaves only an entry that a later one names again (entries are content-addressed).
 * The producer is made on the first schema, so a processor that writes nothing never connects.
 */
public final class KafkaSchemaPublisher implements SchemaPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaPublisher.class);

    private final KafkaSettings kafka;
    private final String topic;
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaSchemaPublisher(KafkaSettings kafka) {
        this.kafka = kafka;
        this.topic = kafka.topics().schemas();
    }

    @Override
    public synchronized void publish(String id, byte[] schemaJson) {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        }
        Duration timeout = kafka.timeout();
        try {
            producer.send(new ProducerRecord<>(topic, SchemaIds.bytes(id), schemaJson)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Published schema {} to {}", id, topic);
        } catch (ExecutionException e) {
            throw notAcknowledged(id, ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw notAcknowledged(id, " within " + Durations.format(timeout) + " (--kafka-timeout, CDC_KAFKA_TIMEOUT)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("interrupted while publishing schema " + id + " to " + topic, e);
        }
    }

    /** The one message for a schema the broker did not take, whether it said why or did not answer. */
    private SerializationException notAcknowledged(String id, String why, Throwable cause) {
        return new SerializationException("Kafka did not acknowledge schema " + id + " on " + topic + " at "
                + kafka.bootstrap() + why, cause);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = kafka.clientConfig();
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.timeout().toMillis());
        c.put(ProducerConfig.CLIENT_ID_CONFIG, kafka.topics().prefix() + "-processor-schemas");
        return c;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null; // a later start makes another
        }
    }
}
