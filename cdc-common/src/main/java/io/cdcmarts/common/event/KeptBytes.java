package io.cdcmarts.common.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The bytes of an unreadable message as its dead letter keeps them. Up to {@link #WHOLE_LIMIT}
 * bytes they are kept whole; above it only the first {@value #WHOLE_LIMIT} bytes are kept, with the
 * value's full length and its SHA-256, so the dead letter always fits in a Kafka record (the bytes
 * came in one record of at most the broker's limit, and base64 plus the envelope would be a third
 * larger) while the message can still be recognised and found again on its raw topic.
 *
 * @param base64 the kept bytes (all of them, or the prefix), base64
 * @param length the value's length in bytes when only a prefix is kept; else null
 * @param sha256 the value's SHA-256 (lower-case hex) when only a prefix is kept; else null
 */
public record KeptBytes(String base64, Long length, String sha256) {

    /** The largest value kept whole, and the length of the prefix kept of a larger one: 64 KiB. */
    public static final int WHOLE_LIMIT = 64 * 1024;

    /** The value as a dead letter keeps it; null for a null value. */
    public static KeptBytes of(byte[] value) {
        if (value == null) {
            return null;
        }
        Base64.Encoder base64 = Base64.getEncoder();
        if (value.length <= WHOLE_LIMIT) {
            return new KeptBytes(base64.encodeToString(value), null, null);
        }
        return new KeptBytes(base64.encodeToString(Arrays.copyOf(value, WHOLE_LIMIT)), (long) value.length,
                HexFormat.of().formatHex(sha256(value)));
    }

    /** Whether only a prefix of the value is kept. */
    public boolean truncated() {
        return length != null;
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
