package io.cdcmarts.app.bench;

import io.cdcmarts.common.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each marker first reached a Kafka topic, read as a consumer would (read_committed), for the
 * bench's stage breakdown: {@code <prefix>.raw.orders} (capture), {@code <prefix>.stg.orders}
 * (the processor's staging) and {@code <prefix>.mart.sales_daily} (the processor's mart). With the
 * sink's sightings ({@link Sightings}) this splits commit→DuckDB into capture, processor and sink.
 * Times are {@link System#nanoTime()} when the record was handed to this consumer, on the bench's
 * clock like the commits; the consumer starts at the topics' ends, after earlier markers are gone.
 *
 * <p>A marker is found by its day written as ISO text ({@code "1800-01-05…}) anywhere in the key
 * or value: the raw and staging rows carry it in {@code order_date}, the mart in its key. A topic
 * whose format carries no such text (a binary one) simply shows no sightings.
 */
final class TopicSightings implements AutoCloseable {

    /** The topics watched, in pipeline order. */
    enum Stage {
        RAW_TOPIC("raw topic"), STG_TOPIC("stg topic"), MART_TOPIC("mart topic");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** How long the broker may hold a fetch with nothing new: short, as a late sighting is what is measured. */
    private static final int FETCH_MAX_WAIT_MS = 20;
    /** How long finding the topics and their ends may take: a broker beside a busy pipeline answers slowly. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Stage> stageOf = new HashMap<>();
    private final long[][] seenAt;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile String lastError;
    private boolean started;

    TopicSightings(Map<String, Object> clientConfig, TopicNames topics, int capacity) {
        stageOf.put(topics.raw("orders"), Stage.RAW_TOPIC);
        stageOf.put(topics.stg("orders"), Stage.STG_TOPIC);
        stageOf.put(topics.mart("sales_daily"), Stage.MART_TOPIC);
        seenAt = new long[Stage.values().length][capacity];
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-marts-bench");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "bench-topics");
        thread.setDaemon(true);
    }

    /**
     * Assigns itself every partition of the watched topics that exists, at its end, and starts
     * reading. Returns once the positions are known, so nothing written after this is missed.
     */
    void start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : stageOf.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, START_TIMEOUT);
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, START_TIMEOUT));
        started = true;
        thread.start();
    }

    private void run() {
        try {
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    continue;
                }
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Stage stage = stageOf.get(r.topic());
                    int k = marker(r.key());
                    if (k < 0) {
                        k = marker(r.value());
                    }
                    record(stage, k, now);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void record(Stage stage, int k, long now) {
        if (stage != null && k >= 0 && k < seenAt[stage.ordinal()].length && seenAt[stage.ordinal()][k] == 0) {
            seenAt[stage.ordinal()][k] = now;
        }
    }

    /** The first sighting of marker {@code k} on {@code stage}'s topic, or 0 when not seen. */
    synchronized long seenAt(Stage stage, int k) {
        return seenAt[stage.ordinal()][k];
    }

    String lastError() {
        return lastError;
    }

    /**
     * The marker number of the first {@code "18YY-MM-DD} text in {@code bytes} (the day's distance
     * from {@link Markers#FIRST_DAY}), or -1 when there is none. Shop rows are dated from 1900 on,
     * so a quoted date of the 1800s is a marker's.
     */
    static int marker(byte[] bytes) {
        if (bytes == null) {
            return -1;
        }
        for (int i = 0; i + 11 <= bytes.length; i++) {
            if (bytes[i] == '"' && bytes[i + 1] == '1' && bytes[i + 2] == '8' && digits(bytes, i + 3, 2)
                    && bytes[i + 5] == '-' && digits(bytes, i + 6, 2) && bytes[i + 8] == '-' && digits(bytes, i + 9, 2)) {
                try {
                    LocalDate day = LocalDate.of(1800 + number(bytes, i + 3), number(bytes, i + 6), number(bytes, i + 9));
                    long k = ChronoUnit.DAYS.between(Markers.FIRST_DAY, day);
                    if (day.isBefore(Markers.END_DAY) && k <= Integer.MAX_VALUE) {
                        return (int) k;
                    }
                } catch (DateTimeException e) {
                    // digits that are no date: not a marker, look on
                }
            }
        }
        return -1;
    }

    private static boolean digits(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(byte[] b, int from) {
        return (b[from] - '0') * 10 + (b[from + 1] - '0');
    }

    /** Stops reading; the consumer closes on its reading thread, or here when it never started. */
    @Override
    public void close() throws InterruptedException {
        if (!started) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        stopping = true;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
