package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.processor.raw.RawMessage;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** Turns a raw message that cannot be read into its dead letter, logged once and counted. */
public final class MalformedDeadLetter implements FixedKeyProcessorSupplier<Long, RawMessage, DeadLetter> {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedDeadLetter.class);

    private final String table;
    private final QualityMetrics metrics;

    public MalformedDeadLetter(String table, QualityMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    /** Whether a raw message goes to the dead letters unread: bad bytes, or a key that names no row. */
    public static boolean isMalformed(Long key, RawMessage value) {
        if (value instanceof RawMessage.Malformed) {
            return true;
        }
        boolean truncate = value instanceof RawMessage.Event e && "t".equals(e.event().op());
        return key == null && !truncate;
    }

    @Override
    public FixedKeyProcessor<Long, RawMessage, DeadLetter> get() {
        return new FixedKeyProcessor<>() {
            private FixedKeyProcessorContext<Long, DeadLetter> context;

            @Override
            public void init(FixedKeyProcessorContext<Long, DeadLetter> context) {
                this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<Long, RawMessage> record) {
                RecordMetadata where = context.recordMetadata().orElseThrow();
                String keyProblem = record.key() == null ? "the key is not a JSON object {\"id\": <integer>}" : null;
                byte[] bytes = null;
                String reason = keyProblem;
                if (record.value() instanceof RawMessage.Malformed malformed) {
                    bytes = malformed.bytes();
                    reason = keyProblem == null ? malformed.reason() : keyProblem + "; " + malformed.reason();
                }
                LOG.warn("Dead-lettering an unreadable message of {} at {}-{}@{}: {}",
                        table, where.topic(), where.partition(), where.offset(), reason);
                metrics.failed(table, DeadLetter.MALFORMED);
                metrics.deadLettered(table);
                context.forward(record.withValue(DeadLetters.malformed(table, record.key(), where.topic(),
                        where.partition(), where.offset(), bytes, reason,
                        Instant.ofEpochMilli(context.currentSystemTimeMs()))));
            }
        };
    }
}
