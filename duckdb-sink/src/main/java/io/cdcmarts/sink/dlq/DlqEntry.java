package io.cdcmarts.sink.dlq;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.MalformedEventException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One message of a dead-letter topic as {@code cdc-marts dlq} shows it: where it is, its Kafka
 * timestamp, the table it belongs to, and the dead letter it holds. A message that is not a
 * dead-letter record at all is kept with its bytes and counts as {@code malformed}.
 *
 * @param dlqTopic     the dead-letter topic
 * @param partition    its partition
 * @param offset       its offset
 * @param timestamp    the Kafka timestamp, what {@code --since} compares with
 * @param table        the table of the topic name ({@code <prefix>.dlq.<table>})
 * @param key          the message key as text, or null
 * @param deadLetter   the parsed record, or null when the value is not one
 * @param unreadable   why the value is not a dead-letter record, or null
 * @param value        the message value's bytes, kept for an unreadable value only
 */
public record DlqEntry(String dlqTopic, int partition, long offset, Instant timestamp, String table, String key,
                       DeadLetter deadLetter, String unreadable, byte[] value) {

    public DlqEntry {
        Objects.requireNonNull(dlqTopic, "dlqTopic");
        Objects.requireNonNull(table, "table");
    }

    /** Reads one message; never throws on a bad value. */
    public static DlqEntry read(String topic, int partition, long offset, long timestampMs, String table,
                                byte[] key, byte[] value) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        Instant ts = Instant.ofEpochMilli(timestampMs);
        if (value == null) {
            return new DlqEntry(topic, partition, offset, ts, table, keyText, null, "empty message (tombstone)", null);
        }
        try {
            return new DlqEntry(topic, partition, offset, ts, table, keyText, DeadLetter.parse(value), null, null);
        } catch (MalformedEventException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable").trim();
            return new DlqEntry(topic, partition, offset, ts, table, keyText, null, reason, value);
        }
    }

    /** The checks the record failed, each once, in order; {@code malformed} for an unreadable message. */
    public List<String> checks() {
        if (deadLetter == null) {
            return List.of(DeadLetter.MALFORMED);
        }
        List<String> checks = deadLetter.failures().stream().map(DeadLetter.Failure::check)
                .filter(Objects::nonNull).distinct().toList();
        return checks.isEmpty() ? List.of(DeadLetter.MALFORMED) : checks;
    }

    /** When the failure was detected, or the Kafka timestamp when the record does not say. */
    public Instant time() {
        return deadLetter != null && deadLetter.detectedAt() != null ? deadLetter.detectedAt() : timestamp;
    }

    /**
     * The raw bytes a malformed dead letter carries (or this message's own, when unreadable),
     * summarised: length, and the start as text when printable, else as base64. When the dead letter
     * kept only a prefix, the length is the whole value's and the digest follows.
     */
    public String rawSummary() {
        byte[] bytes = value;
        if (deadLetter != null && deadLetter.rawBase64() != null) {
            try {
                bytes = Base64.getDecoder().decode(deadLetter.rawBase64());
            } catch (IllegalArgumentException e) {
                return "raw_base64 that is not base64 (" + deadLetter.rawBase64().length() + " chars)";
            }
            if (deadLetter.rawLength() != null) {
                return deadLetter.rawLength() + " bytes (the first " + bytes.length + " kept, sha256 "
                        + deadLetter.rawSha256() + "), " + head(bytes);
            }
        }
        return bytes == null ? null : summarise(bytes);
    }

    static String summarise(byte[] bytes) {
        return bytes.length + " bytes, " + head(bytes);
    }

    /** The start of the bytes: as text when printable, else as base64. */
    private static String head(byte[] bytes) {
        final int max = 60;
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean printable = text.codePoints().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\n' || c == '\t');
        if (printable) {
            String oneLine = text.replace('\n', ' ').replace('\t', ' ');
            return "text \"" + (oneLine.length() > max ? oneLine.substring(0, max) + "…" : oneLine) + "\"";
        }
        String b64 = Base64.getEncoder().encodeToString(bytes);
        return "base64 " + (b64.length() > max ? b64.substring(0, max) + "…" : b64);
    }
}
