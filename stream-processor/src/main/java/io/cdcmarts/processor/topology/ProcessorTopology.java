package io.cdcmarts.processor.topology;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.config.CommitIntervals;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.join.VariantProductJoin;
import io.cdcmarts.processor.marts.MartsTopology;
import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;
import io.cdcmarts.processor.quality.MalformedDeadLetter;
import io.cdcmarts.processor.quality.QualityMetrics;
import io.cdcmarts.processor.quality.QualityOutput;
import io.cdcmarts.processor.quality.QualityTracker;
import io.cdcmarts.processor.quality.Staging;
import io.cdcmarts.processor.quality.RuleSet;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.quality.Validated;
import io.cdcmarts.processor.raw.RawIntake;
import io.cdcmarts.processor.raw.RawMessage;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.raw.RawRowBinary;
import io.cdcmarts.processor.serde.IdKeySerde;
import io.cdcmarts.processor.serde.SchemaPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.ValueMapper;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Map;
import java.util.Properties;

/**
 * The whole processor as one Kafka Streams topology, a function of its config:
 * <pre>
 * raw.&lt;table&gt; ─┬─ unreadable ─────────────────────────────────────────────► dlq.&lt;table&gt;
 *              └─ current row per key (KTable) ─ clean + check ─┬─ passes ─► stg.&lt;table&gt; ─┐
 *                 (order_items: each change, a stream, no table)   │
 *                                                                └─ quality ─► dlq.&lt;table&gt;,   │
 *                                                                             quality.open_failures
 * stg.orders/order_items, raw order_items/variants/products ───────────────► mart.&lt;mart&gt; ◄─┘
 * </pre>
 * product_variants are checked after a join to their raw product (the size rule needs its category;
 * {@link VariantProductJoin}, not Kafka Streams' foreign-key join): a variant waits for an unknown
 * product, and a product's change re-checks them.
 *
 * <p>Every processor, store and internal topic has an explicit name, and the build enforces it
 * ({@code ensure.explicit.internal.resource.naming}), so internal topics never drift between versions.
 */
public final class ProcessorTopology {

    private static final Serde<Long> ID = IdKeySerde.INSTANCE;
    private final StreamsBuilder builder;
    private final ProcessorTopics topics;
    private final StoreType storeType;
    private final QualityMetrics metrics;
    private final RuleSet rules;
    private final CommitIntervals commits;

    private ProcessorTopology(StreamsBuilder builder, ProcessorTopics topics, StoreType storeType, QualityMetrics metrics,
                              RuleSet rules, CommitIntervals commits) {
        this.commits = commits;
        this.builder = builder;
        this.topics = topics;
        this.storeType = storeType;
        this.metrics = metrics;
        this.rules = rules;
    }

    /**
     * Builds the topology that {@code config} describes, for naming its internal topics (raw topics
     * with inline envelopes only, typed-row schemas published nowhere); see
     * {@link #build(ProcessorConfig, MeterRegistry, SchemaDirectory, SchemaPublisher)}.
     */
    public static Topology build(ProcessorConfig config, MeterRegistry registry) {
        return build(config, registry, SchemaDirectory.NONE, SchemaPublisher.NONE);
    }

    /**
     * Builds the topology that {@code config} describes; failed checks are counted in {@code registry},
     * lean messages find their schemas in {@code schemas}, the schemas of the typed rows it writes
     * go to {@code publisher}.
     */
    public static Topology build(ProcessorConfig config, MeterRegistry registry, SchemaDirectory schemas,
                                 SchemaPublisher publisher) {
        Properties props = config.streamsProperties();
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        new ProcessorTopology(builder, new ProcessorTopics(config.topics(), schemas, publisher), config.storeType(), new QualityMetrics(registry),
                config.rules(), config.commitIntervals())
                .define();
        Topology topology = builder.build(props);
        // The intake of a table with text fills unchanged TOASTed values from the table's own store
        // (RawIntake). The DSL adds that store only with the table, after the intake, so the
        // connection is made on the built topology.
        for (TableRules table : config.rules().tables()) {
            if (table.hasText()) {
                topology.connectProcessorAndStateStores(rawIntake(table.table()), rawStore(table.table()));
            }
        }
        return topology;
    }

    private static String rawStore(String table) {
        return table + "-raw";
    }

    private static String rawIntake(String table) {
        return table + "-raw-intake";
    }

    private void define() {
        TableRules customerRules = rules.customers();
        TableRules productRules = rules.products();
        TableRules variantRules = rules.productVariants();
        TableRules orderRules = rules.orders();
        TableRules itemRules = rules.orderItems();
        KTable<Long, RawRow> rawCustomers = rawTable(customerRules);
        KTable<Long, RawRow> rawProducts = rawTable(productRules);
        KTable<Long, RawRow> rawVariants = rawTable(variantRules);
        KTable<Long, RawRow> rawOrders = rawTable(orderRules);
        if (itemRules.hasText()) {
            // An item's unchanged TOASTed values would need the raw table's store to be filled in
            throw new IllegalStateException("order_items has text columns: its raw changes need a table, not a stream");
        }
        KStream<Long, RawRow> rawItems = rawRows(itemRules);

        KTable<Long, Validated> customers = staging(customerRules, validated(customerRules, rawCustomers));
        staging(productRules, validated(productRules, rawProducts));
        KTable<Long, VariantWithProduct> variants = VariantProductJoin.join(rawVariants, rawProducts, storeType);
        staging(variantRules, variants.mapValues(
                vp -> Staging.validate(variantRules, vp.variant(), vp.product()),
                Named.as("product_variants-validate")));
        KTable<Long, Validated> orders = staging(orderRules, validated(orderRules, rawOrders));
        KStream<Long, Validated> validatedItems = rawItems.mapValues(validator(itemRules), Named.as(itemRules.table() + "-validate"));
        stagingChanges(itemRules, validatedItems);

        MartsTopology marts = new MartsTopology(topics, storeType, commits);
        marts.customers(customers);
        marts.orderMarts(orders, validatedItems, variants, rawProducts, variantRules, productRules);
    }

    /**
     * The current raw row per key of one table. Unreadable messages go to the table's dead letters;
     * deletes and tombstones remove the row.
     */
    private KTable<Long, RawRow> rawTable(TableRules rules) {
        String table = rules.table();
        // No record cache here: it would coalesce the versions of a row within a commit
        // interval, and each failing version must reach the checks (one dead letter each).
        // The aggregates downstream keep their caches, which is where coalescing pays.
        return rawRows(rules).toTable(Named.as(table + "-raw-table"),
                Materialized.<Long, RawRow, KeyValueStore<Bytes, byte[]>>as(rawStore(table))
                        .withKeySerde(ID).withValueSerde(RawRowBinary.SERDE).withCachingDisabled());
    }

    /**
     * The raw changes of one table as rows: the new row per change, null for a delete or a tombstone.
     * Unreadable messages go to the table's dead letters.
     */
    private KStream<Long, RawRow> rawRows(TableRules rules) {
        String table = rules.table();
        Topic<Long, RawMessage> raw = topics.raw(table);
        Topic<Long, DeadLetter> dlq = topics.dlq(table);
        Map<String, KStream<Long, RawMessage>> branches = builder.stream(raw.name(), raw.consumed(table + "-raw-source"))
                .split(Named.as(table + "-raw-"))
                .branch(MalformedDeadLetter::isMalformed, Branched.withConsumer(malformed -> malformed
                        .processValues(new MalformedDeadLetter(table, metrics), Named.as(table + "-malformed-dead-letter"))
                        .to(dlq.name(), dlq.produced(table + "-malformed-dlq-sink")), "malformed"))
                .defaultBranch(Branched.as("readable"));
        return branches.get(table + "-raw-readable")
                .processValues(new RawIntake(table, rules.hasText() ? rawStore(table) : null), Named.as(rawIntake(table)));
    }

    private static KTable<Long, Validated> validated(TableRules rules, KTable<Long, RawRow> raw) {
        return raw.mapValues(validator(rules), Named.as(rules.table() + "-validate"));
    }

    /** A raw row cleaned and checked; null (a delete) stays null. */
    private static ValueMapper<RawRow, Validated> validator(TableRules rules) {
        return row -> row == null ? null : Staging.validate(rules, row, null);
    }

    /**
     * Publishes a table's staging rows and quality records; returns the staging table (the rows
     * that pass their checks).
     */
    private KTable<Long, Validated> staging(TableRules rules, KTable<Long, Validated> validated) {
        String table = rules.table();
        KTable<Long, Validated> staged = validated.filter((id, row) -> row.passed(), Named.as(table + "-stg-filter"));
        publishStaging(rules, staged.toStream(Named.as(table + "-stg-changes"))
                .mapValues(row -> row == null ? null : Staging.stagingRow(rules, row), Named.as(table + "-stg-row")));
        trackQuality(rules, validated.toStream(Named.as(table + "-quality-changes")));
        return staged;
    }

    /**
     * Publishes a table's staging rows and quality records from its validated changes, for a table
     * kept as a stream (null: the row is gone); a row that fails its checks is a tombstone on
     * staging, as the table form writes. One step makes the staging row, not a filter and a mapper.
     */
    private void stagingChanges(TableRules rules, KStream<Long, Validated> validated) {
        String table = rules.table();
        publishStaging(rules, validated.mapValues(row -> row != null && row.passed() ? Staging.stagingRow(rules, row) : null,
                Named.as(table + "-stg-row")));
        trackQuality(rules, validated);
    }

    /** A table's staging rows (null: a tombstone) to its staging topic. */
    private void publishStaging(TableRules rules, KStream<Long, TypedRow> rows) {
        String table = rules.table();
        Topic<Long, TypedRow> stg = topics.stg(table);
        rows.to(stg.name(), stg.produced(table + "-stg-sink"));
    }

    /** A table's dead letters and open failures, from its validated changes. */
    private void trackQuality(TableRules rules, KStream<Long, Validated> validated) {
        String table = rules.table();
        Topic<Long, DeadLetter> dlq = topics.dlq(table);
        Topic<Long, TypedRow> openFailures = topics.openFailures(table);
        validated
                .process(new QualityTracker(table, topics.raw(table).name(), table + "-quality-streaks", storeType, metrics),
                        Named.as(table + "-quality-tracker"))
                .split(Named.as(table + "-quality-"))
                .branch((id, out) -> out instanceof QualityOutput.DeadLettered, Branched.withConsumer(letters -> letters
                        .mapValues(out -> ((QualityOutput.DeadLettered) out).deadLetter(), Named.as(table + "-dead-letter"))
                        .to(dlq.name(), dlq.produced(table + "-dlq-sink")), "dead-letters"))
                .defaultBranch(Branched.withConsumer(changes -> changes
                        .mapValues(out -> ((QualityOutput.OpenFailure) out).row(), Named.as(table + "-open-failure"))
                        .to(openFailures.name(), openFailures.produced(table + "-open-failures-sink")), "open-failures"));
    }
}
