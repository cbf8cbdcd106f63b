package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dimension ledgers hold, read back from their changelogs (committed records, the last
 * value per key): for a test that finds a product mart row off, which variants the processor
 * counted towards it and with what.
 */
public final class LedgerDump {

    private LedgerDump() {
    }

    /** The product's ledger state and every variant ledger whose label points at the product. */
    public static String product(String bootstrap, String applicationId, long productId) {
        MartSerdes serdes = new MartSerdes();
        Map<Long, TotalsLedger.State<LineSums, RevenueState.VariantInfo>> variants =
                latest(bootstrap, applicationId + "-variant-ledger-changelog", serdes.variantState().deserializer());
        Map<Long, TotalsLedger.State<SalesSums, RevenueState.ProductLabel>> products =
                latest(bootstrap, applicationId + "-product-ledger-changelog", serdes.productState().deserializer());
        StringBuilder out = new StringBuilder("product ledger ").append(productId).append(": ").append(products.get(productId));
        variants.forEach((id, state) -> {
            if (state != null && state.label() != null && state.label().productId() == productId) {
                out.append(System.lineSeparator()).append("  variant ledger ").append(id).append(": ").append(state);
            }
        });
        return out.toString();
    }

    private static <V> Map<Long, V> latest(String bootstrap, String topic, Deserializer<V> values) {
        Map<Long, V> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Long key = IdKeySerde.INSTANCE.deserializer().deserialize(topic, r.key());
                    out.put(key, r.value() == null ? null : values.deserialize(topic, r.value()));
                }
            }
        }
        return out;
    }
}
