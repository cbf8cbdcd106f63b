package io.cdcmarts.sink.dlq;

import io.cdcmarts.common.event.KeptBytes;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of {@code quality.dead_letters}, identified by the failing message's source coordinates.
 *
 * @param sourceTopic     topic of the message that failed
 * @param sourcePartition its partition
 * @param sourceOffset    its offset
 * @param table           the source table (or stg table / mart) it belongs to
 * @param keyJson         the row's key as JSON text, or null
 * @param rowJson         the after image as JSON text, or null
 * @param failuresJson    the failed checks as a JSON array of {check, column, value, message}
 * @param checks          the distinct check names, in order of appearance
 * @param sourceLsn       source log position, or null when unknown
 * @param sourceTs        source commit time, or null
 * @param detectedAt      when the failure was found
 * @param raw             the message value's bytes for malformed messages (whole, or above
 *                        {@value KeptBytes#WHOLE_LIMIT} bytes a prefix with the length and SHA-256); else null
 * @param reportedBy      who found it
 * @param dlqTopic        the dead-letter topic it was read from, or null when the sink found it
 * @param dlqPartition    its partition, or null
 * @param dlqOffset       its offset, or null
 */
public record DeadLetterRow(String sourceTopic, int sourcePartition, long sourceOffset, String table,
                            String keyJson, String rowJson, String failuresJson, List<String> checks,
                            Long sourceLsn, Instant sourceTs, Instant detectedAt, KeptBytes raw,
                            Origin reportedBy, String dlqTopic, Integer dlqPartition, Long dlqOffset) {

    /** Who reported a dead letter. */
    public enum Origin {
        /** The stream processor, through a {@code <prefix>.dlq.<table>} topic. */
        PROCESSOR("processor"),
        /** The sink itself: a message it could not read. */
        SINK("sink");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public DeadLetterRow {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(reportedBy, "reportedBy");
        checks = List.copyOf(checks);
        raw = raw == null || raw.base64() == null ? null : raw;
    }

    /** The kept bytes, base64 ({@code raw_base64}), or null. */
    public String rawBase64() {
        return raw == null ? null : raw.base64();
    }

    /** The value's length when only a prefix is kept ({@code raw_length}), or null. */
    public Long rawLength() {
        return raw == null ? null : raw.length();
    }

    /** The value's SHA-256 when only a prefix is kept ({@code raw_sha256}), or null. */
    public String rawSha256() {
        return raw == null ? null : raw.sha256();
    }

    /** The identity of a dead letter: the failing message. */
    public record SourceCoordinates(String topic, int partition, long offset) {
    }

    public SourceCoordinates coordinates() {
        return new SourceCoordinates(sourceTopic, sourcePartition, sourceOffset);
    }

    /**
     * Whether this dead letter replaces {@code stored} for the same source message: the
     * processor's report wins over the sink's own (both describe the same raw message when neither
     * could read it, and the processor's is the one that also knows the checks); otherwise the later
     * one wins. The same rule in SQL keeps the result independent of which topic is read first.
     */
    public boolean replaces(DeadLetterRow stored) {
        return !(reportedBy == Origin.SINK && stored.reportedBy == Origin.PROCESSOR);
    }
}
