package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The key of every e-commerce table, a {@code BIGINT id} primary key, as the raw topics carry it:
 * the plain JSON object {@code {"id":42}}.
 *
 * <p>It writes exactly the bytes the capture service writes, so a key computed here (a foreign key,
 * a group-by key) lands on the same partition as the raw row it names: that keeps foreign-key
 * subscriptions and table-table joins co-partitioned with the raw topics. It reads leniently: a
 * key that is not such an object becomes null, which the processor routes to the dead letters
 * instead of failing.
 */
public final class IdKeySerde implements Serde<Long> {

    public static final IdKeySerde INSTANCE = new IdKeySerde();

    private static final byte[] HEAD = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Serializer<Long> serializer() {
        return (topic, id) -> id == null ? null : toBytes(id);
    }

    @Override
    public Deserializer<Long> deserializer() {
        return (topic, bytes) -> bytes == null ? null : parse(bytes);
    }

    public static byte[] toBytes(long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The key as a JSON object. */
    public static JsonNode toJson(long id) {
        return Json.MAPPER.createObjectNode().put("id", id);
    }

    /** The id of a key, or null when the bytes are not a JSON object with an integral {@code id}. */
    public static Long parse(byte[] bytes) {
        Long fast = parseCompact(bytes);
        if (fast != null) {
            return fast;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(bytes);
            if (root != null && root.isObject() && root.path("payload").isObject() && root.has("schema")) {
                root = root.get("payload"); // a key written with schemas.enable=true
            }
            JsonNode id = root == null ? null : root.get("id");
            return id != null && id.isIntegralNumber() && id.canConvertToLong() && root.size() == 1 ? id.longValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code {"id":<digits>}} without spaces, the form the capture writes: no JSON parser needed. */
    private static Long parseCompact(byte[] bytes) {
        int end = bytes.length - 1;
        if (bytes.length < HEAD.length + 2 || bytes[end] != '}') {
            return null;
        }
        for (int i = 0; i < HEAD.length; i++) {
            if (bytes[i] != HEAD[i]) {
                return null;
            }
        }
        int i = HEAD.length;
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end || end - i > 18) {
            return null;
        }
        long value = 0;
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b < '0' || b > '9') {
                return null;
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }
}
