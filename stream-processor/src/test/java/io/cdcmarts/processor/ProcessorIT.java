package io.cdcmarts.processor;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.KeptBytes;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.common.kafka.KafkaSchemaLog;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.testkit.RawEvents;
import io.cdcmarts.testing.LeanMessages;
import io.cdcmarts.testing.LeanMessages.Lean;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.order;
import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The processor as a service against a real Kafka broker (in-process KRaft, auto-create off). */
class ProcessorIT {

    @TempDir
    Path stateDir;

    @Test
    void startsExactlyOnceCreatesItsTopicsAndTurnsRawEventsIntoStagingAndMarts() throws Exception {
        String bootstrap = SharedInfra.get().kafkaBootstrap();
        String prefix = "pit" + Long.toString(System.nanoTime(), 36);
        ProcessorConfig config = config(bootstrap, prefix);
        try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // When the service starts
            service.start();
            await().atMost(60, TimeUnit.SECONDS).until(() -> service.status().state() == KafkaStreams.State.RUNNING);

            // Then its topics exist, with explicit cleanup policies
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).contains(prefix + ".raw.orders", prefix + ".stg.orders", prefix + ".dlq.orders",
                    prefix + ".quality.open_failures", prefix + ".mart.sales_daily", prefix + ".mart.kpis");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".stg.orders"),
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".dlq.orders"),
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".mart.sales_daily"))).all().get();
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".stg.orders"))
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            Config dlq = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".dlq.orders"));
            assertThat(dlq.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
            assertThat(dlq.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(Long.toString(TimeUnit.DAYS.toMillis(30)));
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".mart.sales_daily"))
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");

            // When raw change events arrive
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                sendOnePaidOrder(producer, prefix);
                send(producer, prefix, "orders", 1001, "not json".getBytes(StandardCharsets.UTF_8));
                producer.flush();
            }

            // Then committed staging, mart and dead-letter records appear
            try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(bootstrap);
                 SchemaDirectory schemas = schemas(bootstrap, prefix)) {
                consumer.subscribe(List.of(prefix + ".stg.orders", prefix + ".mart.sales_daily",
                        prefix + ".mart.revenue_by_product_variant", prefix + ".dlq.orders"));
                Map<String, ConsumerRecord<byte[], byte[]>> latest = new HashMap<>();
                await().atMost(60, TimeUnit.SECONDS).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.topic(), r));
                    return latest.size() == 4;
                });
                TypedRow daily = row(schemas, latest.get(prefix + ".mart.sales_daily"));
                assertThat(new String(latest.get(prefix + ".mart.sales_daily").key(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"day\":\"2024-03-01\"}");
                assertThat(daily.values().get("revenue").decimalValue()).isEqualByComparingTo("71.00");
                assertThat(row(schemas, latest.get(prefix + ".stg.orders")).values().get("status").asText())
                        .isEqualTo("paid");
                assertThat(row(schemas, latest.get(prefix + ".mart.revenue_by_product_variant"))
                        .values().get("gross_profit").decimalValue()).isEqualByComparingTo("31.00");
                assertThat(new String(latest.get(prefix + ".dlq.orders").value(), StandardCharsets.UTF_8))
                        .contains("\"check\":\"malformed\"");
            }

            // And it writes through transactions (exactly_once_v2)
            Collection<TransactionListing> transactions = admin.listTransactions().all().get();
            assertThat(transactions).extracting(TransactionListing::transactionalId)
                    .anyMatch(id -> id.startsWith(config.applicationId()));
            assertThat(service.status().healthy()).isTrue();
            assertThat(Mart.ALL).allSatisfy(m -> assertThat(topics).contains(prefix + ".mart." + m.name()));
        }
    }

    @Test
    void aPoisonMessageNearTheBrokersLimitIsDeadLetteredAndChangesAfterItStillReachStagingAndMarts() throws Exception {
        String bootstrap = SharedInfra.get().kafkaBootstrap();
        String prefix = "pbig" + Long.toString(System.nanoTime(), 36);
        ProcessorConfig config = config(bootstrap, prefix);
        try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry());
             SchemaDirectory schemas = schemas(bootstrap, prefix)) {
            service.start();
            await().atMost(60, TimeUnit.SECONDS).until(() -> service.status().state() == KafkaStreams.State.RUNNING);

            // Given a ~900 KB value that is not JSON on a raw topic (its dead letter, whole in base64, would be 1.2 MB)
            byte[] poison = new byte[900 * 1024];
            java.util.Arrays.fill(poison, (byte) '#');
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(producer, prefix, "orders", 999, poison);
                // When real changes follow it
                sendOnePaidOrder(producer, prefix);
            }

            // Then the poison is a dead letter that fits (a prefix, the length and the digest), and the changes reach stg and marts
            Map<String, ConsumerRecord<byte[], byte[]>> latest = awaitPaidOrderWithDeadLetter(bootstrap, prefix, schemas);
            DeadLetter dl = DeadLetter.parse(latest.get(prefix + ".dlq.orders").value());
            assertThat(dl.failures()).extracting(DeadLetter.Failure::check).containsExactly(DeadLetter.MALFORMED);
            assertThat(dl.rawLength()).isEqualTo(poison.length);
            assertThat(dl.rawSha256()).isEqualTo(java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(poison)));
            assertThat(java.util.Base64.getDecoder().decode(dl.rawBase64())).hasSize(KeptBytes.WHOLE_LIMIT);
            assertThat(row(schemas, latest.get(prefix + ".stg.orders")).values().get("id").asLong())
                    .isEqualTo(1000);
            assertThat(service.status().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(service.status().lastError()).isNull();
        }
    }

    @Test
    void leanMessagesFindTheirSchemaOnTheSchemaTopicBesideInlineOnesAndAnUnknownSchemaIsADeadLetter() throws Exception {
        String bootstrap = SharedInfra.get().kafkaBootstrap();
        String prefix = "plean" + Long.toString(System.nanoTime(), 36);
        TopicNames names = new TopicNames(prefix);
        ProcessorConfig config = config(bootstrap, prefix);
        try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             SchemaDirectory schemas = schemas(bootstrap, prefix)) {
            service.start();
            await().atMost(60, TimeUnit.SECONDS).until(() -> service.status().state() == KafkaStreams.State.RUNNING);
            // (the processor made the schema topic, compacted, for its own typed rows' schemas)
            assertThat(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, names.schemas())))
                    .all().get().values().iterator().next().get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);

            // Given customers, products and variants inline (a topic written before the lean format)
            // and orders and items lean, each schema written before its first message, as capture does
            Lean order = LeanMessages.of(RawEvents.event("orders", "c", null, order(1000, 1, "paid", "2024-03-01T10:00:00Z"), 103, 1_000));
            Lean item = LeanMessages.of(RawEvents.event("order_items", "c", null, item(5000, 1000, 100, 2, "35.50"), 104, 1_000));
            // and an order naming a schema nobody wrote
            Lean orphan = new Lean("0".repeat(32), order.schemaJson(), order.payload());
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(producer, prefix, "customers", 1, RawEvents.event("customers", "c", null, customer(1), 100, 1_000));
                send(producer, prefix, "products", 10, RawEvents.event("products", "c", null, product(10, "shoes"), 101, 1_000));
                send(producer, prefix, "product_variants", 100,
                        RawEvents.event("product_variants", "c", null, variant(100, 10, "42", "20.00"), 102, 1_000));
                producer.send(orphan.raw(names.raw("orders"), RawEvents.key(999))).get();
                // When
                producer.send(order.schemaEntry(names)).get();
                producer.send(order.raw(names.raw("orders"), RawEvents.key(1000))).get();
                producer.send(item.schemaEntry(names)).get();
                producer.send(item.raw(names.raw("order_items"), RawEvents.key(5000))).get();
            }

            // Then the lean changes reach staging and the marts, the orphan is a dead letter, the processor runs on
            Map<String, ConsumerRecord<byte[], byte[]>> latest = awaitPaidOrderWithDeadLetter(bootstrap, prefix, schemas);
            assertThat(row(schemas, latest.get(prefix + ".stg.orders")).values().get("status").asText())
                    .isEqualTo("paid");
            // and the staging row is lean: its header names the row's own schema (not the raw message's),
            // which the processor put on the schema topic, and the value is the row's values alone
            ConsumerRecord<byte[], byte[]> stg = latest.get(prefix + ".stg.orders");
            String rowSchema = SchemaIds.from(stg.headers());
            assertThat(rowSchema).isNotNull().isNotEqualTo(order.schemaId());
            assertThat(new String(stg.value(), StandardCharsets.UTF_8)).contains("\"id\":1000").doesNotContain("\"schema\"");
            assertThat(row(schemas, stg).columns()).extracting(c -> c.name()).contains("id", "status", "_lsn", "_source_ts");
            DeadLetter dl = DeadLetter.parse(latest.get(prefix + ".dlq.orders").value());
            assertThat(dl.failures()).extracting(DeadLetter.Failure::check).containsExactly(DeadLetter.MALFORMED);
            assertThat(dl.failures().get(0).message()).contains(orphan.schemaId()).contains(names.schemas());
            assertThat(service.status().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(service.status().lastError()).isNull();
        }
    }

    /**
     * The latest committed records of stg.orders, mart.sales_daily and dlq.orders once the day's
     * revenue is the paid order's 71.00 (the day's row may first show the order without its item:
     * wait for the sum, not a first row).
     */
    private static Map<String, ConsumerRecord<byte[], byte[]>> awaitPaidOrderWithDeadLetter(String bootstrap, String prefix,
                                                                                        SchemaDirectory schemas) {
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(bootstrap)) {
            consumer.subscribe(List.of(prefix + ".stg.orders", prefix + ".mart.sales_daily", prefix + ".dlq.orders"));
            Map<String, ConsumerRecord<byte[], byte[]>> latest = new HashMap<>();
            await().atMost(90, TimeUnit.SECONDS).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.topic(), r));
                return latest.size() == 3 && row(schemas, latest.get(prefix + ".mart.sales_daily"))
                        .values().get("revenue").decimalValue().compareTo(new java.math.BigDecimal("71.00")) == 0;
            });
            return latest;
        }
    }

    /** The schema topic a test's consumer reads lean rows through; one per test, it reads the topic again only for an id it has not seen. */
    private static SchemaDirectory schemas(String bootstrap, String prefix) {
        return new SchemaDirectory(new KafkaSchemaLog(KafkaSettings.of(bootstrap, prefix)));
    }

    /** A typed row as a consumer reads it: lean, its schema from the schema topic its header names. */
    private static TypedRow row(SchemaDirectory schemas, ConsumerRecord<byte[], byte[]> r) {
        return TypedRow.parse(r.value(), SchemaIds.from(r.headers()), schemas);
    }

    private ProcessorConfig config(String bootstrap, String prefix) {
        return ProcessorConfig.builder(KafkaSettings.of(bootstrap, prefix)).stateDir(stateDir).commitInterval(Duration.ofMillis(50)).build();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // fresh topics: an idempotent producer trips over OutOfOrderSequence retries on this broker
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A customer, a product with a variant, and a paid order of it with one item (2 × 35.50). */
    private static void sendOnePaidOrder(KafkaProducer<byte[], byte[]> producer, String prefix) throws Exception {
        send(producer, prefix, "customers", 1, RawEvents.event("customers", "c", null, customer(1), 100, 1_000));
        send(producer, prefix, "products", 10, RawEvents.event("products", "c", null, product(10, "shoes"), 101, 1_000));
        send(producer, prefix, "product_variants", 100,
                RawEvents.event("product_variants", "c", null, variant(100, 10, "42", "20.00"), 102, 1_000));
        send(producer, prefix, "orders", 1000,
                RawEvents.event("orders", "c", null, order(1000, 1, "paid", "2024-03-01T10:00:00Z"), 103, 1_000));
        send(producer, prefix, "order_items", 5000,
                RawEvents.event("order_items", "c", null, item(5000, 1000, 100, 2, "35.50"), 104, 1_000));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String prefix, String table, long id, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(prefix + ".raw." + table, RawEvents.key(id), value)).get();
    }

    private static KafkaConsumer<byte[], byte[]> readCommitted(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "processor-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
