package io.cdcmarts.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The dead-letter record of SPEC §5: a row that failed its checks, or a message that could not be
 * read at all ({@code check = "malformed"}, with the message's bytes in {@code rawBase64}, bounded as
 * {@link KeptBytes} says: above {@value KeptBytes#WHOLE_LIMIT} bytes only a prefix, with the length
 * and a digest).
 * The value of {@code <prefix>.dlq.<table>} and one row of {@code quality.dead_letters}, where it is
 * identified by its source topic, partition and offset.
 *
 * @param table      the source table
 * @param key        the row's primary key (JSON), or null when unreadable
 * @param row        the after image (JSON), or null
 * @param failures   every check the row failed
 * @param source     where the failing message is
 * @param detectedAt when the failure was found
 * @param rawBase64  the message value's bytes, base64, for malformed messages (only the first
 *                   {@value KeptBytes#WHOLE_LIMIT} when {@code rawLength} is set); else null
 * @param rawLength  the value's length in bytes when {@code rawBase64} holds only a prefix; else null
 * @param rawSha256  the value's SHA-256 (hex) when {@code rawBase64} holds only a prefix; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(String table, JsonNode key, JsonNode row, List<Failure> failures, Source source,
                         @JsonProperty("detected_at") Instant detectedAt,
                         @JsonProperty("raw_base64") String rawBase64,
                         @JsonProperty("raw_length") Long rawLength,
                         @JsonProperty("raw_sha256") String rawSha256) {

    /** A dead letter whose raw bytes, if any, are kept whole. */
    public DeadLetter(String table, JsonNode key, JsonNode row, List<Failure> failures, Source source,
                      Instant detectedAt, String rawBase64) {
        this(table, key, row, failures, source, detectedAt, rawBase64, null, null);
    }

    /** A dead letter of an unreadable message, with its bytes as {@link KeptBytes} keeps them (null: none). */
    public DeadLetter(String table, JsonNode key, List<Failure> failures, Source source, Instant detectedAt,
                      KeptBytes raw) {
        this(table, key, null, failures, source, detectedAt, raw == null ? null : raw.base64(),
                raw == null ? null : raw.length(), raw == null ? null : raw.sha256());
    }

    /** The check name for messages that could not be parsed. */
    public static final String MALFORMED = "malformed";

    /** One failed check. {@code value} is the offending (cleaned) value as JSON, or null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Failure(String check, String column, JsonNode value, String message) {
    }

    /** The failing message's coordinates; lsn -1 and sourceTs null when unknown. */
    public record Source(String topic, int partition, long offset, long lsn,
                         @JsonProperty("source_ts") Instant sourceTs) {
    }

    public byte[] toBytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a dead letter as JSON", e);
        }
    }

    /** @throws MalformedEventException when the bytes are not a dead-letter record */
    public static DeadLetter parse(byte[] bytes) {
        try {
            DeadLetter dl = Json.MAPPER.readValue(bytes, DeadLetter.class);
            if (dl.table() == null || dl.source() == null || dl.failures() == null) {
                throw new MalformedEventException("a dead letter needs table, failures and source");
            }
            return dl;
        } catch (IOException e) {
            throw new MalformedEventException("not a dead-letter record: " + e.getMessage(), e);
        }
    }
}
