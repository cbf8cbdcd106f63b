package io.cdcmarts.processor.topology;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.common.kafka.TopicAdmin;
import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.quality.StagingRules;
import io.cdcmarts.processor.quality.TableRules;
import io.cdcmarts.processor.raw.RawMessage;
import io.cdcmarts.processor.serde.DeadLetterSerde;
import io.cdcmarts.processor.serde.IdKeySerde;
import io.cdcmarts.processor.serde.OpenFailureKeySerde;
import io.cdcmarts.processor.serde.RawMessageSerde;
import io.cdcmarts.processor.serde.SchemaPublisher;
import io.cdcmarts.processor.serde.TypedRowSerde;
import org.apache.kafka.clients.admin.NewTopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The topics the processor reads and writes, with their serdes, under one prefix. */
public final class ProcessorTopics {

    private final TopicNames names;
    private final RawMessageSerde rawSerde;
    private final TypedRowSerde rowSerde;

    /**
     * For naming the topics only: a lean raw message read through it is malformed (no schema log),
     * and the schemas of typed rows written through it are published nowhere.
     */
    public ProcessorTopics(TopicNames names) {
        this(names, SchemaDirectory.NONE, SchemaPublisher.NONE);
    }

    /**
     * @param schemas   where lean messages (raw, and typed rows read back) find their schemas
     * @param publisher where the schemas of the typed rows it writes go
     */
    public ProcessorTopics(TopicNames names, SchemaDirectory schemas, SchemaPublisher publisher) {
        this.names = names;
        this.rawSerde = new RawMessageSerde(schemas);
        this.rowSerde = new TypedRowSerde(publisher, schemas);
    }

    public TopicNames names() {
        return names;
    }

    /** {@code <prefix>.raw.<table>}: Debezium change events, read leniently. */
    public Topic<Long, RawMessage> raw(String table) {
        return new Topic<>(names.raw(table), IdKeySerde.INSTANCE, rawSerde);
    }

    /** {@code <prefix>.stg.<table>}: cleaned rows that pass their checks. */
    public Topic<Long, TypedRow> stg(String table) {
        return new Topic<>(names.stg(table), IdKeySerde.INSTANCE, rowSerde);
    }

    /** {@code <prefix>.dlq.<table>}: dead letters. */
    public Topic<Long, DeadLetter> dlq(String table) {
        return new Topic<>(names.dlq(table), IdKeySerde.INSTANCE, DeadLetterSerde.INSTANCE);
    }

    /** {@code <prefix>.quality.open_failures}, as written for the rows of one table. */
    public Topic<Long, TypedRow> openFailures(String table) {
        return new Topic<>(names.openFailures(), new OpenFailureKeySerde(table), rowSerde);
    }

    /** {@code <prefix>.mart.<mart>}. */
    public <K> Topic<K, TypedRow> mart(Mart<K> mart) {
        return new Topic<>(names.mart(mart.name()), mart.keySerde(), rowSerde);
    }

    /** The raw topics it reads. */
    public List<String> rawTopics() {
        return StagingRules.ALL.stream().map(rules -> names.raw(rules.table())).toList();
    }

    /**
     * The compacted topics it writes, whose keys hold the current result: staging, open failures,
     * marts. (Dead letters are history, not a current state.)
     */
    public List<String> compactedOutputs() {
        List<String> topics = new ArrayList<>();
        for (TableRules rules : StagingRules.ALL) {
            topics.add(names.stg(rules.table()));
        }
        topics.add(names.openFailures());
        for (Mart<?> mart : Mart.ALL) {
            topics.add(names.mart(mart.name()));
        }
        return topics;
    }

    /**
     * Every topic the processor needs, with explicit configs: the outputs (staging, marts and open
     * failures compacted; dead letters time-retained), the schema topic its typed rows name, and the
     * raw inputs (compacted, as the capture creates them, so the processor may start first).
     */
    public List<NewTopic> all(TopicAdmin admin, Duration dlqRetention) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(admin.schemaLog(names.schemas()));
        for (TableRules rules : StagingRules.ALL) {
            topics.add(admin.compacted(names.raw(rules.table())));
            topics.add(admin.compacted(names.stg(rules.table())));
            topics.add(admin.retained(names.dlq(rules.table()), dlqRetention.toMillis()));
        }
        topics.add(admin.compacted(names.openFailures()));
        for (Mart<?> mart : Mart.ALL) {
            topics.add(admin.compacted(names.mart(mart.name())));
        }
        return topics;
    }
}
