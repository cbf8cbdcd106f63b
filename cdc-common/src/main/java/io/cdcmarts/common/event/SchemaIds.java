package io.cdcmarts.common.event;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a lean raw message names its schema (SPEC's raw value format): the header
 * {@value #HEADER}, whose value is the schema's id, the first 128 bits of the SHA-256 of the
 * schema's JSON bytes in lower-case hex. A content hash, so every capture process gives one
 * schema the same id without asking anyone, and an entry of the schema topic can be checked
 * against its key.
 */
public final class SchemaIds {

    /** The header a lean raw message names its schema in. */
    public static final String HEADER = "cdc.schema.id";

    /** Hex digits of an id: 128 bits make a collision among a deployment's few thousand schemas out of reach. */
    static final int LENGTH = 32;

    private SchemaIds() {
    }

    /** The id of the schema whose JSON is {@code schemaJson}. */
    public static String of(byte[] schemaJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schemaJson);
            return HexFormat.of().formatHex(digest, 0, LENGTH / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The schema id a message's headers name (the last {@value #HEADER}), or null when they name none. */
    public static String from(Headers headers) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The header's value for {@code id}. */
    public static byte[] bytes(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
