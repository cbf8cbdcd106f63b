package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.KeptBytes;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.serde.IdKeySerde;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds the records of the quality layer: dead letters and open-failure rows. */
public final class DeadLetters {

    /** The columns of an open-failure row. */
    public static final List<ColumnSpec> OPEN_FAILURE_COLUMNS = List.of(
            new ColumnSpec("table", "string", null, Map.of(), false),
            new ColumnSpec("key", "string", null, Map.of(), false),
            new ColumnSpec("checks", "string", null, Map.of(), false),
            new ColumnSpec("since", "string", ColumnSpec.ZONED_TIMESTAMP, Map.of(), false),
            new ColumnSpec("last_lsn", "int64", null, Map.of(), true));

    private DeadLetters() {
    }

    /** The longest offending value (as JSON text) and failure message a failed check repeats whole. */
    static final int SHOWN_LIMIT = 1024;

    /**
     * The dead letter of a row version that failed its checks. The row is kept whole (it came in one
     * record); each failure's value and message are shortened to {@value #SHOWN_LIMIT} characters,
     * so a huge bad value is not carried three times and the dead letter still fits in a record.
     */
    public static DeadLetter failedRow(String table, String rawTopic, long id, Validated validated, Instant detectedAt) {
        RawRow raw = validated.raw();
        List<DeadLetter.Failure> failures = validated.failures().stream()
                .map(f -> new DeadLetter.Failure(f.check(), f.column(), shown(f.value()), shortened(f.message())))
                .toList();
        return new DeadLetter(table, IdKeySerde.toJson(id), raw.values(), failures,
                new DeadLetter.Source(rawTopic, raw.partition(), raw.offset(), raw.lsn(), sourceTs(raw.sourceTsMs())),
                detectedAt, null);
    }

    /** The dead letter of a message that could not be read; {@code id} is null when the key was unreadable too. */
    public static DeadLetter malformed(String table, Long id, String topic, int partition, long offset,
                                       byte[] value, String reason, Instant detectedAt) {
        JsonNode key = id == null ? null : IdKeySerde.toJson(id);
        return new DeadLetter(table, key, List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, shortened(reason))),
                new DeadLetter.Source(topic, partition, offset, -1, null), detectedAt, KeptBytes.of(value));
    }

    /** A failure's value as a dead letter repeats it: whole when short, else the start of its JSON text. */
    static JsonNode shown(JsonNode value) {
        if (value == null || value.isBoolean() || value.isNull()) {
            return value;
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        return text.length() <= SHOWN_LIMIT ? value : TextNode.valueOf(shortened(text));
    }

    private static String shortened(String text) {
        if (text == null || text.length() <= SHOWN_LIMIT) {
            return text;
        }
        return text.substring(0, SHOWN_LIMIT) + "… (" + text.length() + " characters)";
    }

    /** The open-failure row of a failing source row. */
    public static TypedRow openFailure(String table, long id, FailureStreak streak) {
        ObjectNode values = Json.MAPPER.createObjectNode();
        values.put("table", table);
        values.put("key", IdKeySerde.toJson(id).toString());
        values.put("checks", streak.checks());
        values.put("since", Instant.ofEpochMilli(streak.sinceMs()).toString());
        if (streak.lsn() >= 0) {
            values.put("last_lsn", streak.lsn());
        } else {
            values.putNull("last_lsn");
        }
        return new TypedRow(OPEN_FAILURE_COLUMNS, values);
    }

    private static Instant sourceTs(long ms) {
        return ms > 0 ? Instant.ofEpochMilli(ms) : null;
    }
}
