package io.cdcmarts.processor.reprocess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Deletes from a compacted output topic what a reprocess did not produce again: reads the topic to
 * its end (read_committed, as the sink reads it), finds the stale keys per partition
 * ({@link StaleKeys}) and writes a tombstone for each to the partition it is on, with an idempotent
 * producer, waiting for every acknowledgement. Run it while nothing else writes the topic.
 */
final class StaleKeySweeper implements AutoCloseable {

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;

    StaleKeySweeper(Admin admin, Map<String, Object> clientConfig, String clientId) {
        this.admin = admin;
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-reader");
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-tombstones");
        producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Tombstones the stale keys of one topic.
     *
     * @param marks the end offset of each of its partitions when the reprocess started
     * @return how many tombstones were written
     */
    int sweep(String topic, Map<TopicPartition, Long> marks, Duration timeout) {
        Map<TopicPartition, Long> ends = EndOffsets.of(admin, List.of(topic));
        Map<TopicPartition, StaleKeys> folds = new HashMap<>();
        ends.keySet().forEach(tp -> folds.put(tp, new StaleKeys(marks.getOrDefault(tp, 0L))));
        readToEnd(ends, folds, timeout);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        folds.forEach((tp, fold) -> fold.stale().forEach(key ->
                sent.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), key, null)))));
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deleting stale keys of " + topic, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not write a tombstone to " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        return sent.size();
    }

    private void readToEnd(Map<TopicPartition, Long> ends, Map<TopicPartition, StaleKeys> folds, Duration timeout) {
        List<TopicPartition> partitions = ends.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        if (partitions.isEmpty()) {
            return;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Instant deadline = Instant.now().plus(timeout);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not read " + partitions.get(0).topic() + " to its end within " + timeout
                        + " (an open transaction of a processor that is still running or crashed?)");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                folds.get(new TopicPartition(r.topic(), r.partition())).add(r.key(), r.offset(), r.value() == null);
            }
        }
        consumer.unsubscribe();
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
