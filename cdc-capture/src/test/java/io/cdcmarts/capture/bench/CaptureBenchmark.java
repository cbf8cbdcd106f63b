package io.cdcmarts.capture.bench;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.generator.Generator;
import io.cdcmarts.generator.GeneratorConfig;
import io.cdcmarts.testing.Databases;
import io.cdcmarts.testing.EmbeddedKafka;
import io.cdcmarts.testing.EmbeddedPostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Snapshot and streaming throughput of {@code cdc-marts capture}, measured from outside: the generator loads a
 * shop into a real PostgreSQL (embedded, logical replication), then the real {@link CaptureService}
 * snapshots it into a real Kafka broker (in this JVM unless {@code --kafka-bootstrap} names one).
 * The clock starts when capture is started and stops when the raw topics' end offsets hold every
 * row of the five shop tables; the first event's time is reported too, so start-up (slot,
 * publication, topics) can be told apart from copying. Then every raw message is read back to
 * report its bytes as consumers see them (key + value + headers, uncompressed) and the broker's log size.
 *
 * <pre>
 * ./mvnw -B -ntp -q install -pl cdc-capture -am -DskipTests
 * ./mvnw -B -ntp -q -pl cdc-capture dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd cdc-capture &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.cdcmarts.capture.bench.CaptureBenchmark --orders 100000
 * </pre>
 * Then it streams: {@link StreamingRun} commits {@code --streaming-changes N} (default 200000) row
 * changes as fast as one connection can, in transactions of 1,000, and times them into {@code raw};
 * then {@code --paced-rate N} changes/s (default 5000, in 100 transactions a second) for
 * {@code --paced-seconds N} (30), timing each transaction's commit→raw. 0 skips either.
 * Options: {@code --orders N} (default 100000), {@code --customers N} (20000), {@code --products N}
 * (5000), {@code --kafka-bootstrap HOST:PORT} (default: a broker in this JVM), {@code --sink LAUNCHER}
 * (e.g. {@code ../bin/cdc-marts}: the real sink runs as a process of its own and every figure is
 * timed into DuckDB instead of the raw topics, {@link SinkProcess}; {@code --sink-arg ARG}, repeated,
 * adds an argument to its command line), and any number of
 * {@code --debezium K=V} / {@code --kafka-property K=V}, passed to capture as its options of the
 * same name (to compare settings without rebuilding).
 */
public final class CaptureBenchmark {

    private static final String PREFIX = "bench";
    private static final List<String> TABLES = List.of("customers", "products", "product_variants", "orders", "order_items");

    private CaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        Map<String, String> debezium = new LinkedHashMap<>();
        Map<String, String> kafkaProperties = new LinkedHashMap<>();
        List<String> sinkArgs = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            switch (name) {
                case "debezium" -> put(debezium, args[i + 1]);
                case "kafka-property" -> put(kafkaProperties, args[i + 1]);
                case "sink-arg" -> sinkArgs.add(args[i + 1]);
                default -> options.put(name, args[i + 1]);
            }
        }
        int orders = Integer.parseInt(options.getOrDefault("orders", "100000"));
        int customers = Integer.parseInt(options.getOrDefault("customers", "20000"));
        int products = Integer.parseInt(options.getOrDefault("products", "5000"));
        String externalBroker = options.get("kafka-bootstrap");
        String sinkLauncher = options.get("sink");
        int streamingChanges = Integer.parseInt(options.getOrDefault("streaming-changes", "200000"));
        int pacedRate = Integer.parseInt(options.getOrDefault("paced-rate", "5000"));
        int pacedSeconds = Integer.parseInt(options.getOrDefault("paced-seconds", "30"));

        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start();
             EmbeddedKafka kafka = externalBroker == null ? EmbeddedKafka.start() : null) {
            String bootstrap = externalBroker != null ? externalBroker : kafka.bootstrapServers();
            PgDsn db = Databases.create(pg.dsn(), "bench_shop");
            long loadStart = System.nanoTime();
            new Generator(GeneratorConfig.builder(db).createSchema(true).customers(customers).products(products)
                    .orders(orders).window(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-06-30T23:59:59Z"))
                    .build()).run();
            Map<String, Long> rows = rowCounts(db);
            long totalRows = rows.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("Shop: %s = %,d rows, loaded in %.1f s (PostgreSQL %d)%n", rows, totalRows,
                    (System.nanoTime() - loadStart) / 1e9, pg.majorVersion());

            KafkaSettings settings = new KafkaSettings(bootstrap, new TopicNames(PREFIX), 1, (short) 1, kafkaProperties);
            CaptureConfig config = CaptureConfig.builder(db, settings).debezium(debezium).build();
            List<String> rawTopics = TABLES.stream().map(settings.topics()::raw).toList();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                 SinkProcess sink = sinkLauncher == null ? null
                         : SinkProcess.start(Path.of(sinkLauncher), sinkArgs, bootstrap, PREFIX,
                                 Files.createTempDirectory("capture-bench-sink"));
                 CaptureService capture = new CaptureService(config, new SimpleMeterRegistry())) {
                TopicEnds topicEnds = new TopicEnds(admin);
                Arrivals arrivals = sink != null ? sink : topicEnds;
                Duration sinkCpuStart = sink != null ? sink.cpu() : Duration.ZERO;
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                capture.start();
                long first = -1;
                long captured = -1;
                long arrived = 0;
                while (arrived < totalRows) {
                    // every look costs the broker and the sink a request: ten a second resolve a run of
                    // tens of seconds well enough (at 20 a second the sink spent 5 % of its CPU answering)
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    if (captured < 0) {
                        long inTopics = topicEnds.position(rawTopics);
                        if (first < 0 && inTopics > 0) {
                            first = System.nanoTime();
                        }
                        if (inTopics >= totalRows) {
                            captured = System.nanoTime();
                        }
                        arrived = inTopics;
                    }
                    if (sink != null && first >= 0) {
                        arrived = sink.position(rawTopics);
                    }
                    if (System.nanoTime() - start > TimeUnit.HOURS.toNanos(1)) {
                        throw new IllegalStateException("not done after an hour: " + arrived + " of " + totalRows + " in " + arrivals.where());
                    }
                }
                long end = System.nanoTime();
                long cpu = processCpuNanos() - cpuStart;
                double total = (end - start) / 1e9;
                double copying = (end - first) / 1e9;
                System.out.printf("Snapshot into %s: %,d rows in %.1f s from start = %,.0f rows/s; first event after %.1f s, "
                                + "first event to last row %.1f s = %,.0f rows/s%n",
                        arrivals.where(), totalRows, total, totalRows / total, (first - start) / 1e9, copying, totalRows / copying);
                if (sink != null) {
                    System.out.printf("  (every row was in the raw topics %.1f s after the start, %.1f s before the last reached DuckDB)%n",
                            (captured - start) / 1e9, (end - captured) / 1e9);
                }
                System.out.printf("CPU of this JVM (capture%s) in that time: %.1f s = %,.0f rows per CPU-second%n",
                        externalBroker == null ? " and the broker" : "", cpu / 1e9, totalRows / (cpu / 1e9));
                if (sink != null) {
                    double sinkCpu = (sink.cpu().toNanos() - sinkCpuStart.toNanos()) / 1e9;
                    System.out.printf("CPU of the sink in that time: %.1f s; all of it together %,.0f rows per CPU-second%n",
                            sinkCpu, totalRows / (cpu / 1e9 + sinkCpu));
                    checkCounts(sink, rows);
                }
                reportBytes(bootstrap, admin, settings.topics());

                StreamingRun streaming = new StreamingRun(db, arrivals, settings.topics().raw("order_items"));
                if (streamingChanges > 0) {
                    streaming.bulk(streamingChanges, 1_000);
                }
                if (pacedRate > 0) {
                    streaming.paced(pacedRate, 100, pacedSeconds);
                }
            }
        }
    }

    private static void put(Map<String, String> into, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected KEY=VALUE, got '" + keyValue + "'");
        }
        into.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    private static Map<String, Long> rowCounts(PgDsn db) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Every raw table in DuckDB has as many rows as its source table: the timing above counted real rows. */
    private static void checkCounts(SinkProcess sink, Map<String, Long> source) throws Exception {
        List<Long> duck = sink.counts(TABLES.stream().map(t -> "raw." + t).toList());
        for (int i = 0; i < TABLES.size(); i++) {
            long expected = source.get(TABLES.get(i));
            if (duck.get(i) != expected) {
                throw new IllegalStateException("DuckDB raw." + TABLES.get(i) + " has " + duck.get(i) + " rows, PostgreSQL " + expected);
            }
        }
        System.out.printf("DuckDB's raw tables hold as many rows as PostgreSQL's: %s%n", source);
    }

    /** Bytes per message as a consumer receives them, and the broker's log bytes, per table. */
    private static void reportBytes(String bootstrap, Admin admin, TopicNames topics) throws Exception {
        Map<String, Long> logBytes = new HashMap<>();
        admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList()).allDescriptions()
                .get().values().forEach(dirs -> dirs.values().forEach(dir -> {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                        logBytes.merge(e.getKey().topic(), e.getValue().size(), Long::sum);
                    }
                }));
        long allMessages = 0;
        long allBytes = 0;
        long allLog = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String table : TABLES) {
                TopicPartition tp = new TopicPartition(topics.raw(table), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long endOffset = consumer.endOffsets(List.of(tp)).get(tp);
                long messages = 0;
                long bytes = 0;
                while (consumer.position(tp) < endOffset) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (messages == 0) {
                            System.out.printf("  one %s message: key %s value %s%n", table, text(r.key()), text(r.value()));
                        }
                        messages++;
                        bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize())
                                + headerBytes(r);
                    }
                }
                long log = logBytes.getOrDefault(tp.topic(), 0L);
                System.out.printf("  %-28s %,9d messages, %,7.0f bytes per message (key + value + headers), broker log %,.1f MB = %,.0f bytes per message%n",
                        tp.topic(), messages, (double) bytes / messages, log / 1e6, (double) log / messages);
                allMessages += messages;
                allBytes += bytes;
                allLog += log;
            }
        }
        System.out.printf("All raw topics: %,d messages, %,.0f bytes per message, broker log %,.1f MB = %,.0f bytes per message%n",
                allMessages, (double) allBytes / allMessages, allLog / 1e6, (double) allLog / allMessages);
        System.out.printf("Schema topic %s: broker log %,.0f bytes (held once per table version, not per message)%n",
                topics.schemas(), (double) logBytes.getOrDefault(topics.schemas(), 0L));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The bytes of a message's header names and values (the lean format's schema id travels there). */
    private static long headerBytes(ConsumerRecord<byte[], byte[]> r) {
        long n = 0;
        for (Header h : r.headers()) {
            n += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }
}
