package io.cdcmarts.processor.bench;

import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.property.BatchOracle;
import io.cdcmarts.processor.property.BrokerPipeline;
import io.cdcmarts.processor.testkit.RawEvents;
import io.cdcmarts.processor.testkit.Row;
import io.cdcmarts.testing.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Throughput and state size of the stream processor on this machine. Writes a workload shaped like
 * the generator's (customers; products with 1–4 variants; orders with 1–5 items; then status
 * changes, variant price updates, item quantity/price updates and item deletes) to the raw topics of
 * an in-process Kafka broker, runs the real {@link ProcessorService} (exactly_once_v2, RocksDB,
 * 100 ms commits) and times how long it takes until it has consumed everything, for the bulk load
 * and for the updates. Then reports the state on disk and the store entry counts.
 *
 * <p>The broker, the producer and the processor share this machine's cores.
 * (The TopologyTestDriver is no benchmark vehicle: it commits after every record, which flushes
 * every RocksDB store, and it compiles a regex per record.)
 *
 * <pre>
 * ./mvnw -B -o -q install -pl stream-processor -DskipTests
 * ./mvnw -B -o -q -pl stream-processor dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd stream-processor && java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.cdcmarts.processor.bench.ProcessorBenchmark --orders 100000
 * </pre>
 * Options: {@code --orders N} (default 100000), {@code --partitions N} (default 1), {@code --seed N},
 * {@code --commit-interval-ms N} and {@code --catch-up-commit-interval-ms N} (default: the processor's), {@code --threads N} (stream threads, default 1),
 * {@code --streams-properties k=v,k=v}, {@code --raw-format lean|inline} (default lean).
 *
 * <p>{@code lean} writes what capture writes (README "Raw topic format"): each table's schema once
 * to the compacted {@code <prefix>.schemas}, then every value as Debezium's payload alone with the
 * schema's id in the {@value SchemaIds#HEADER} header. {@code inline} writes the former
 * {@code {"schema":…,"payload":…}} envelopes, which the processor still reads, for comparison.
 */
public final class ProcessorBenchmark {

    private static final String PREFIX = "bench";
    private static final List<String> TABLES = List.of("customers", "products", "product_variants", "orders", "order_items");

    /** How the raw values are written. */
    enum RawFormat {
        /** The payload alone, its schema named by a header and written once to the schema topic (capture now). */
        LEAN,
        /** The schema inline in every value (capture before the lean format). */
        INLINE
    }
    private static final String[] CATEGORIES = {"t-shirts", "hoodies", "shoes", "accessories", "jackets"};
    private static final String[] STATUSES = {"pending", "paid", "paid", "paid", "paid", "paid", "cancelled", "shipped", "shipped"};

    private final Random random;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RawFormat format;
    /** Per table, the lean messages' header naming its schema. */
    private final Map<String, RecordHeaders> schemaHeaders = new HashMap<>();
    private long lsn = 1;
    private long sourceTs = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private long events;
    /** The rows as they are after everything sent so far, for the batch oracle. */
    private final Map<String, Map<Long, Row>> model = new HashMap<>();

    private ProcessorBenchmark(KafkaProducer<byte[], byte[]> producer, long seed, RawFormat format) {
        this.producer = producer;
        this.format = format;
        this.random = new Random(seed);
        for (String table : TABLES) {
            model.put(table, new HashMap<>());
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int orders = Integer.parseInt(options.getOrDefault("orders", "100000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "1"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        RawFormat format = RawFormat.valueOf(options.getOrDefault("raw-format", "lean").toUpperCase(Locale.ROOT));
        Path stateDir = Files.createTempDirectory("processor-bench");

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            BrokerPipeline pipeline = BrokerPipeline.withPrefix(bootstrap, PREFIX, partitions);
            KafkaSettings settings = pipeline.settings();
            ProcessorConfig.Builder builder = ProcessorConfig.builder(settings).stateDir(stateDir);
            if (options.containsKey("commit-interval-ms")) {
                builder.commitInterval(Duration.ofMillis(Long.parseLong(options.get("commit-interval-ms"))));
            }
            if (options.containsKey("catch-up-commit-interval-ms")) {
                builder.catchUpCommitInterval(Duration.ofMillis(Long.parseLong(options.get("catch-up-commit-interval-ms"))));
            }
            if (options.containsKey("threads")) {
                builder.streamThreads(Integer.parseInt(options.get("threads")));
            }
            for (String property : options.getOrDefault("streams-properties", "").split(",")) {
                if (!property.isBlank()) {
                    String[] kv = property.split("=", 2);
                    builder.streamsProperty(kv[0], kv[1]);
                }
            }
            ProcessorConfig config = builder.build();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                         ProducerConfig.LINGER_MS_CONFIG, 20,
                         ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                         // the topics are brand new: plain ordered sends, no idempotent sequence to trip over
                         ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                         ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                         ProducerConfig.ACKS_CONFIG, "all"),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                pipeline.createTopics(config);
                ProcessorBenchmark benchmark = new ProcessorBenchmark(producer, seed, format);
                if (format == RawFormat.LEAN) {
                    benchmark.publishSchemas(pipeline.settings().topics().schemas());
                }
                benchmark.run(orders, config, admin, stateDir, pipeline);
            } finally {
                pipeline.close();
            }
        }
    }

    /**
     * Writes each table's schema to the schema topic (made with the processor's topics, compacted,
     * one partition, as capture makes it), acknowledged before the first message that names it.
     */
    private void publishSchemas(String topic) throws Exception {
        for (String table : TABLES) {
            byte[] schema = RawEvents.schema(table);
            String id = SchemaIds.of(schema);
            producer.send(new ProducerRecord<>(topic, SchemaIds.bytes(id), schema)).get();
            RecordHeaders headers = new RecordHeaders();
            headers.add(SchemaIds.HEADER, SchemaIds.bytes(id));
            schemaHeaders.put(table, headers);
        }
    }

    private void run(int orderCount, ProcessorConfig config, Admin admin, Path stateDir, BrokerPipeline pipeline) throws Exception {
        Workload w = bulk(orderCount);
        BatchOracle afterBulk = new BatchOracle(model);
        long bulkEvents = events;
        System.out.printf("Workload: %,d customers, %,d products, %,d variants, %,d orders, %,d order items: %,d raw events, %s format%n",
                w.customers, w.products, w.variants.size(), orderCount, w.items.size(), bulkEvents,
                format.name().toLowerCase(Locale.ROOT));

        try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry())) {
            long start = System.nanoTime();
            long cpuStart = streamThreadCpuNanos();
            long jvmCpuStart = jvmCpuNanos();
            service.start();
            waitFor(() -> service.status().state() == KafkaStreams.State.RUNNING);
            double startup = (System.nanoTime() - start) / 1e9;
            waitUntilConsumed(admin, config.applicationId());
            double bulkSeconds = (System.nanoTime() - start) / 1e9;
            long bulkCpu = streamThreadCpuNanos() - cpuStart;
            long bulkJvmCpu = jvmCpuNanos() - jvmCpuStart;
            System.out.printf("Bulk load: %,d events in %.1f s (%.1f s of it starting up) = %,.0f events/s; "
                            + "stream thread CPU %.1f s = %,.0f events per CPU-second; "
                            + "whole JVM CPU %.1f s = %,.0f events per CPU-second%n",
                    bulkEvents, bulkSeconds, startup, bulkEvents / bulkSeconds, bulkCpu / 1e9, bulkEvents / (bulkCpu / 1e9),
                    bulkJvmCpu / 1e9, bulkEvents / (bulkJvmCpu / 1e9));
            double correct = untilMartsEqual(pipeline, afterBulk, start);
            System.out.printf("           every mart equal to the batch oracle %.1f s after the start = %,.0f events/s to correct marts%n",
                    correct, bulkEvents / correct);

            updates(w, orderCount);
            BatchOracle afterUpdates = new BatchOracle(model);
            long updateEvents = events - bulkEvents;
            long updateStart = System.nanoTime();
            long updateCpuStart = streamThreadCpuNanos();
            waitUntilConsumed(admin, config.applicationId());
            double updateSeconds = (System.nanoTime() - updateStart) / 1e9;
            long updateCpu = streamThreadCpuNanos() - updateCpuStart;
            System.out.printf("Updates:   %,d events (status, price, quantity changes, item deletes) in %.1f s = %,.0f events/s; "
                            + "stream thread CPU %.1f s = %,.0f events per CPU-second%n",
                    updateEvents, updateSeconds, updateEvents / updateSeconds, updateCpu / 1e9, updateEvents / (updateCpu / 1e9));
            double updatesCorrect = untilMartsEqual(pipeline, afterUpdates, updateStart);
            System.out.printf("           every mart equal to the batch oracle %.1f s after the updates began%n", updatesCorrect);
            System.out.printf("Overall:   %,d events in %.1f s = %,.0f events/s%n", events, bulkSeconds + updateSeconds,
                    events / (bulkSeconds + updateSeconds));
            reportStores(service);
            reportThreadMetrics(service);
        }
        long bytes = directorySize(stateDir);
        System.out.printf("State on disk (RocksDB, after close): %,.1f MB = %,.0f bytes per order item; "
                        + "scaled to 1,000,000 order items: about %,.0f MB%n",
                bytes / 1e6, (double) bytes / w.items.size(), bytes / 1e6 * 1_000_000 / w.items.size());
        reportTopicBytes(admin, config.applicationId());
    }

    /**
     * CPU time of the whole JVM: the broker, the processor with its producers and RocksDB, this
     * benchmark's waiting. What the work costs the machine, less moved by other load than wall time.
     */
    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the Kafka Streams stream threads (not the broker's, not the producer's). */
    private static long streamThreadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("-StreamThread-") && !t.getName().contains("producer")) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    // ---- waiting ----------------------------------------------------------------------------

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Until the application has consumed every partition it reads (raw, repartition and
     * subscription topics): no lag, up to one transaction marker per partition, twice in a row.
     */
    private void waitUntilConsumed(Admin admin, String group) throws Exception {
        producer.flush();
        int[] quiet = {0};
        waitFor(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Set<TopicPartition> rawPartitions = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
            for (String t : TABLES) {
                admin.describeTopics(List.of(PREFIX + ".raw." + t)).allTopicNames().get().get(PREFIX + ".raw." + t)
                        .partitions().forEach(p -> rawPartitions.add(new TopicPartition(PREFIX + ".raw." + t, p.partition())));
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            rawPartitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(request).all().get();
            boolean done = rawPartitions.stream().allMatch(tp -> committed.containsKey(tp)
                    && committed.get(tp).offset() >= ends.get(tp).offset());
            done &= committed.entrySet().stream().allMatch(e -> ends.get(e.getKey()).offset() - e.getValue().offset() <= 1);
            quiet[0] = done ? quiet[0] + 1 : 0;
            if (!done) {
                Thread.sleep(400);
            }
            return quiet[0] >= 2;
        });
    }

    // ---- reporting --------------------------------------------------------------------------

    private static void reportStores(ProcessorService service) {
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : service.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    stores.addAll(p.stores());
                }
            }
        }
        Map<String, Long> entries = new TreeMap<>();
        for (String store : stores) {
            var kv = service.streams().store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            entries.put(store, kv.approximateNumEntries());
        }
        System.out.printf("Stores: %d, about %,d entries (RocksDB estimates); largest:%n", entries.size(),
                entries.values().stream().mapToLong(Long::longValue).sum());
        entries.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> System.out.printf("  %-58s %,11d%n", e.getKey(), e.getValue()));
    }

    /** Where the stream thread spent its time (Kafka Streams' own thread metrics). */
    private static void reportThreadMetrics(ProcessorService service) {
        Set<String> wanted = Set.of("process-ratio", "poll-ratio", "commit-ratio", "punctuate-ratio", "commit-latency-avg",
                "poll-latency-avg", "process-records-avg", "poll-records-avg", "blocked-time-ns-total", "commit-total");
        StringBuilder line = new StringBuilder("Stream thread:");
        service.streams().metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && wanted.contains(name.name())) {
                Object v = metric.metricValue();
                line.append(String.format(" %s=%s", name.name(),
                        v instanceof Double d ? String.format("%.3f", d) : v));
            }
        });
        System.out.println(line);
    }

    private static void reportTopicBytes(Admin admin, String applicationId) throws Exception {
        long changelogs = 0;
        long repartition = 0;
        long outputs = 0;
        long stg = 0;
        long marts = 0;
        long raw = 0;
        List<TopicPartition> internal = new java.util.ArrayList<>();
        List<TopicPartition> staging = new java.util.ArrayList<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(List.of(0)).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> r : dir.replicaInfos().entrySet()) {
                    String topic = r.getKey().topic();
                    long size = r.getValue().size();
                    if (topic.startsWith(applicationId) && topic.endsWith("-changelog")) {
                        changelogs += size;
                        internal.add(r.getKey());
                    } else if (topic.startsWith(applicationId)) {
                        repartition += size;
                        internal.add(r.getKey());
                    } else if (topic.startsWith(PREFIX + ".raw.")) {
                        raw += size;
                    } else if (topic.startsWith(PREFIX + ".")) {
                        outputs += size;
                        if (topic.startsWith(PREFIX + ".stg.")) {
                            stg += size;
                            staging.add(r.getKey());
                        } else if (topic.startsWith(PREFIX + ".mart.")) {
                            marts += size;
                        }
                    }
                }
            }
        }
        System.out.printf("Topics on the broker (before compaction): raw %,.1f MB, changelogs %,.1f MB, "
                        + "repartition/subscription %,.1f MB, stg/dlq/mart outputs %,.1f MB (stg %,.1f, mart %,.1f)%n",
                raw / 1e6, changelogs / 1e6, repartition / 1e6, outputs / 1e6, stg / 1e6, marts / 1e6);
        Map<TopicPartition, Long> internalEnds = endOffsets(admin, internal);
        long internalOffsets = internalEnds.values().stream().mapToLong(Long::longValue).sum();
        long stagingOffsets = endOffsets(admin, staging).values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("Bytes per record on the broker (log bytes per offset, transaction markers counted as offsets): "
                        + "internal topics (changelogs, repartition) %,.0f (%,d offsets), staging %,.0f (%,d offsets)%n",
                (double) (changelogs + repartition) / Math.max(1, internalOffsets), internalOffsets,
                (double) stg / Math.max(1, stagingOffsets), stagingOffsets);
        // Which internal topics the records go to: each record is a send, a broker append and, for a
        // repartition topic, a fetch and a deserialisation more
        Map<String, Long> perTopic = new TreeMap<>();
        internalEnds.forEach((tp, end) -> perTopic.merge(tp.topic().substring(applicationId.length() + 1), end, Long::sum));
        System.out.println("Internal topics by offsets (records and transaction markers):");
        perTopic.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  %-60s %,12d%n", e.getKey(), e.getValue()));
    }

    /** The partitions' end offsets. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- workload ---------------------------------------------------------------------------

    private static final class Workload {
        int customers;
        int products;
        final List<long[]> variants = new ArrayList<>(); // id, product, price cents
        final List<long[]> items = new ArrayList<>(); // id, order, variant, quantity, price cents
        final Map<Long, String> orderDates = new HashMap<>();
    }

    private Workload bulk(int orderCount) {
        Workload w = new Workload();
        w.customers = Math.max(100, orderCount / 20);
        w.products = Math.max(50, orderCount / 500);
        for (long id = 1; id <= w.customers; id++) {
            send("customers", "c", Row.of("id", id, "full_name", "Customer " + id, "email", "c" + id + "@example.com",
                    "country", pick("France", "Japan", "Brazil", "Kenya", "Canada"), "age", 18 + random.nextInt(53),
                    "created_at", now(), "updated_at", now()));
        }
        long variantId = 0;
        for (long id = 1; id <= w.products; id++) {
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            send("products", "c", Row.of("id", id, "name", "Product " + id, "category", category, "sku", "SKU-" + id,
                    "created_at", now(), "updated_at", now()));
            for (int v = 0, n = 1 + random.nextInt(4); v < n; v++) {
                long[] variant = {++variantId, id, 1000 + random.nextInt(7000)};
                w.variants.add(variant);
                send("product_variants", "c", variant(variant, category));
            }
        }
        long itemId = 0;
        for (long id = 1; id <= orderCount; id++) {
            String date = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(random.nextInt(180 * 86_400)).toString();
            w.orderDates.put(id, date);
            send("orders", "c", order(id, 1 + random.nextInt(w.customers), STATUSES[random.nextInt(STATUSES.length)], date));
            for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
                long[] v = w.variants.get(random.nextInt(w.variants.size()));
                long[] item = {++itemId, id, v[0], 1 + random.nextInt(3), 2000 + random.nextInt(18_000)};
                w.items.add(item);
                send("order_items", "c", item(item));
            }
        }
        return w;
    }

    private void updates(Workload w, int orderCount) {
        for (int i = 0; i < orderCount / 5; i++) {
            long id = 1 + random.nextInt(orderCount);
            send("orders", "u", order(id, 1 + random.nextInt(w.customers), STATUSES[random.nextInt(STATUSES.length)],
                    w.orderDates.get(id)));
        }
        for (int i = 0; i < Math.max(10, w.variants.size() / 4); i++) {
            long[] v = w.variants.get(random.nextInt(w.variants.size()));
            v[2] = 1000 + random.nextInt(7000);
            send("product_variants", "u", variant(v, "hoodies").with("size", "M"));
        }
        for (int i = 0; i < w.items.size() / 20; i++) {
            long[] item = w.items.get(random.nextInt(w.items.size()));
            item[3] = 1 + random.nextInt(3);
            item[4] = 2000 + random.nextInt(18_000);
            send("order_items", "u", item(item));
        }
        for (int i = 0; i < w.items.size() / 50; i++) {
            long[] item = w.items.get(random.nextInt(w.items.size()));
            Row row = item(item);
            model.get("order_items").remove(row.id());
            lsn += 8;
            produce("order_items", row.id(), value("order_items", "d", row, null));
            produce("order_items", row.id(), null);
        }
    }

    /**
     * Seconds from {@code startNanos} until every mart topic equals the batch recomputation; fails
     * the benchmark when they still differ two minutes later (a figure for wrong marts is no figure).
     */
    private static double untilMartsEqual(BrokerPipeline pipeline, BatchOracle oracle, long startNanos) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, Integer> differences;
        do {
            differences = BrokerPipeline.differences(pipeline.marts(), oracle);
            if (differences.isEmpty()) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("the marts still differ from the batch oracle (rows per mart): " + differences);
    }

    private void send(String table, String op, Row row) {
        model.get(table).put(row.id(), row);
        lsn += 8;
        sourceTs += 10;
        produce(table, row.id(), value(table, op, null, row));
    }

    private byte[] value(String table, String op, Row before, Row after) {
        return format == RawFormat.LEAN
                ? RawEvents.payload(table, op, before, after, lsn, sourceTs)
                : RawEvents.event(table, op, before, after, lsn, sourceTs);
    }

    /** A tombstone carries no header, as capture writes it; a lean event names its table's schema. */
    private void produce(String table, long id, byte[] value) {
        RecordHeaders headers = value == null ? null : schemaHeaders.get(table);
        producer.send(new ProducerRecord<>(PREFIX + ".raw." + table, null, RawEvents.key(id), value, headers));
        events++;
    }

    private Row variant(long[] v, String category) {
        String size = category.equals("shoes") ? pick("36", "38", "40", "42", "44") : pick("S", "M", "L", "XL");
        BigDecimal price = BigDecimal.valueOf(v[2], 2);
        return Row.of("id", v[0], "product_id", v[1], "variant_sku", "VAR-" + v[0], "color", pick("Red", "Blue", "Black", null),
                "size", size, "manufacturing_price", price,
                "selling_price", price.multiply(new BigDecimal("1.5")).setScale(2, RoundingMode.HALF_UP),
                "stock_quantity", random.nextInt(200), "is_active", true, "created_at", now(), "updated_at", now());
    }

    private Row order(long id, long customer, String status, String date) {
        return Row.of("id", id, "customer_id", customer, "order_date", date, "status", status,
                "total_amount", new BigDecimal("0.00"), "created_at", now(), "updated_at", now());
    }

    private Row item(long[] item) {
        BigDecimal price = BigDecimal.valueOf(item[4], 2);
        return Row.of("id", item[0], "order_id", item[1], "variant_id", item[2], "quantity", (int) item[3],
                "unit_price", price, "total_price", price.multiply(BigDecimal.valueOf(item[3])), "created_at", now());
    }

    private String now() {
        return Instant.ofEpochMilli(sourceTs).toString();
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
