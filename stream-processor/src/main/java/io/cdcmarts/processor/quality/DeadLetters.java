package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.raw.RawRow;
import io.cdcmarts.processor.serde.IdKeySerde;

import java.time.Instant;
import java.util.Base64;
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

    /** The dead letter of a row version that failed its checks. */
    public static DeadLetter failedRow(String table, String rawTopic, long id, Validated validated, Instant detectedAt) {
        RawRow raw = validated.raw();
        return new DeadLetter(table, IdKeySerde.toJson(id), raw.values(), validated.failures(),
                new DeadLetter.Source(rawTopic, raw.partition(), raw.offset(), raw.lsn(), sourceTs(raw.sourceTsMs())),
                detectedAt, null);
    }

    /** The dead letter of a message that could not be read; {@code id} is null when the key was unreadable too. */
    public static DeadLetter malformed(String table, Long id, String topic, int partition, long offset,
                                       byte[] value, String reason, Instant detectedAt) {
        JsonNode key = id == null ? null : IdKeySerde.toJson(id);
        return new DeadLetter(table, key, null,
                List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, reason)),
                new DeadLetter.Source(topic, partition, offset, -1, null),
                detectedAt, value == null ? null : Base64.getEncoder().encodeToString(value));
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
