package io.cdcmarts.processor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.testing.InMemorySchemaLog;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.quality.RuleSet;
import io.cdcmarts.processor.quality.StagingRules;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.topology.ProcessorTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor's topology in a {@link TopologyTestDriver}: feed raw change events per table, read
 * every output topic folded by key (a tombstone removes the key), as a consumer of the compacted
 * topics would see them. No caching, so every update is visible at once.
 */
public final class ProcessorHarness implements AutoCloseable {

    public static final String PREFIX = "shop";
    /** The schema topic, in memory: the processor publishes its typed rows' schemas here, the outputs are read with it. */
    private final InMemorySchemaLog schemaLog = new InMemorySchemaLog();
    private final SchemaDirectory schemaDirectory = new SchemaDirectory(schemaLog);

    private final TopologyTestDriver driver;
    private final Duration commitInterval;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Path stateDir;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new LinkedHashMap<>();
    private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> folded = new LinkedHashMap<>();
    private final Map<String, List<DeadLetter>> deadLetters = new LinkedHashMap<>();
    private final Map<String, TypedRow> lastRows = new LinkedHashMap<>();
    private final Map<String, Long> lsns = new LinkedHashMap<>();
    private long lsn = 1000;
    private long sourceTs = Instant.parse("2024-03-01T09:00:00Z").toEpochMilli();

    public ProcessorHarness() {
        this(StagingRules.DEFAULTS);
    }

    /** The topology with other staging rules (a rules file's). */
    public ProcessorHarness(RuleSet rules) {
        try {
            stateDir = Files.createTempDirectory("processor-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessorConfig config = ProcessorConfig.builder(KafkaSettings.of("test:9092", PREFIX))
                .storeType(StoreType.IN_MEMORY)
                .stateDir(stateDir)
                .rules(rules)
                .streamsProperty(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0")
                .build();
        commitInterval = config.commitInterval();
        Topology topology = ProcessorTopology.build(config, registry, schemaDirectory, schemaLog::add);
        driver = new TopologyTestDriver(topology, config.streamsProperties(), Instant.parse("2024-03-02T00:00:00Z"));
        for (TableRules table : StagingRules.ALL) {
            String t = table.table();
            inputs.put(t, driver.createInputTopic(PREFIX + ".raw." + t, new ByteArraySerializer(), new ByteArraySerializer()));
            output(PREFIX + ".stg." + t);
            output(PREFIX + ".dlq." + t);
        }
        output(PREFIX + ".quality.open_failures");
        for (Mart<?> mart : Mart.ALL) {
            output(PREFIX + ".mart." + mart.name());
        }
    }

    private void output(String topic) {
        outputs.put(topic, driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        folded.put(topic, new LinkedHashMap<>());
    }

    public SimpleMeterRegistry registry() {
        return registry;
    }

    // ---- input -------------------------------------------------------------------------------

    public ProcessorHarness insert(String table, Row row) {
        return change(table, "c", null, row);
    }

    public ProcessorHarness update(String table, Row row) {
        return change(table, "u", null, row);
    }

    /** A delete event followed by its tombstone, as Debezium writes them. */
    public ProcessorHarness delete(String table, Row before) {
        change(table, "d", before, null);
        pipe(table, RawEvents.key(before.id()), null);
        return this;
    }

    public ProcessorHarness change(String table, String op, Row before, Row after) {
        lsn += 8;
        sourceTs += 1000;
        long id = (after != null ? after : before).id();
        lsns.put(table + "/" + id, lsn);
        pipe(table, RawEvents.key(id), RawEvents.event(table, op, before, after, lsn, sourceTs));
        return this;
    }

    /** Any bytes as a raw message (malformed messages, repeated events). */
    public ProcessorHarness pipe(String table, byte[] key, byte[] value) {
        inputs.get(table).pipeInput(new TestRecord<>(key, value));
        return this;
    }

    public long lastLsn(String table, long id) {
        return lsns.getOrDefault(table + "/" + id, -1L);
    }

    public long lastSourceTs() {
        return sourceTs;
    }

    public void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    // ---- output ------------------------------------------------------------------------------

    /**
     * Lets the processor forward what it holds: each task forwards its summed mart differences once
     * per commit interval (wall-clock), and a difference crosses up to this many such hops on its way
     * to a mart (order → variant → product → category).
     */
    private static final int MART_HOPS = 4;

    private void drain() {
        for (int i = 0; i < MART_HOPS; i++) {
            driver.advanceWallClockTime(commitInterval);
        }
        outputs.forEach((topic, out) -> {
            for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
                String key = r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8);
                if (topic.contains(".dlq.")) {
                    deadLetters.computeIfAbsent(topic, k -> new ArrayList<>()).add(DeadLetter.parse(r.value()));
                } else if (r.value() == null) {
                    folded.get(topic).remove(key);
                } else {
                    TypedRow row = TypedRow.parse(r.value(), SchemaIds.from(r.headers()), schemaDirectory);
                    lastRows.put(topic, row);
                    folded.get(topic).put(key, row.values());
                }
            }
        });
    }

    /** A compacted output topic's current rows: key JSON text → payload. */
    public Map<String, ObjectNode> topic(String topic) {
        drain();
        return folded.get(topic);
    }

    public ObjectNode stg(String table, long id) {
        return topic(PREFIX + ".stg." + table).get("{\"id\":" + id + "}");
    }

    public Map<String, ObjectNode> stg(String table) {
        return topic(PREFIX + ".stg." + table);
    }

    /** The last non-tombstone record of a topic as written, schema included. */
    public TypedRow lastRow(String topic) {
        drain();
        return lastRows.get(topic);
    }

    public Map<String, ObjectNode> mart(Mart<?> mart) {
        return topic(PREFIX + ".mart." + mart.name());
    }

    /** One mart row by its key, given as JSON text (e.g. {@code {"day":"2024-03-01"}}), or null. */
    public ObjectNode martRow(Mart<?> mart, String keyJson) {
        return mart(mart).get(canonical(keyJson));
    }

    public Map<String, ObjectNode> openFailures() {
        return topic(PREFIX + ".quality.open_failures");
    }

    public ObjectNode openFailure(String table, long id) {
        return openFailures().get("{\"table\":\"" + table + "\",\"key\":{\"id\":" + id + "}}");
    }

    /** Every dead letter of a table so far, in order. */
    public List<DeadLetter> deadLetters(String table) {
        drain();
        return deadLetters.getOrDefault(PREFIX + ".dlq." + table, List.of());
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    private static String canonical(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return Json.MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
