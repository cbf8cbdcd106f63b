package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A mart key: a JSON object with one field named after the mart's key column, e.g.
 * {@code {"day":"2024-03-01"}}, {@code {"product_id":7}}, {@code {"category":"shoes"}}. The same
 * serde keys the mart's repartition topic and its output topic.
 */
public final class FieldKeySerde<T> implements Serde<T> {

    private final String field;
    private final BiConsumer<ObjectNode, T> writer;
    private final Function<JsonNode, T> reader;

    /** Writes a key's value as JSON after the head {@code {"field":}; null: through a tree. */
    private final BiConsumer<ByteArrayBuilder, T> fastWriter;
    /** Whether the hand-written form is certainly Jackson's for this value (else: through a tree). */
    private final Predicate<T> fast;
    private final byte[] head;

    private FieldKeySerde(String field, BiConsumer<ObjectNode, T> writer, Function<JsonNode, T> reader,
                          BiConsumer<ByteArrayBuilder, T> fastWriter, Predicate<T> fast) {
        this.fast = fast;
        this.field = field;
        this.writer = writer;
        this.reader = reader;
        this.fastWriter = fastWriter;
        this.head = ("{" + quote(field) + ":").getBytes(StandardCharsets.UTF_8);
    }

    /** Printable ASCII: written the same by any JSON writer once quotes and backslashes are escaped. */
    private static boolean plainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    public static FieldKeySerde<Long> ofLong(String field) {
        return new FieldKeySerde<>(field, (node, v) -> node.put(field, v), JsonNode::longValue,
                (out, v) -> out.write(Long.toString(v).getBytes(StandardCharsets.US_ASCII)), v -> true);
    }

    public static FieldKeySerde<String> ofString(String field) {
        return new FieldKeySerde<>(field, (node, v) -> node.put(field, v), JsonNode::textValue,
                (out, v) -> {
                    out.append('"');
                    out.write(JsonStringEncoder.getInstance().quoteAsUTF8(v));
                    out.append('"');
                }, FieldKeySerde::plainAscii);
    }

    /** A date key, written as ISO {@code yyyy-MM-dd} text. */
    public static FieldKeySerde<LocalDate> ofDate(String field) {
        return new FieldKeySerde<>(field, (node, v) -> node.put(field, v.toString()),
                n -> LocalDate.parse(n.textValue()),
                (out, v) -> out.write(("\"" + v + "\"").getBytes(StandardCharsets.US_ASCII)), v -> true);
    }

    public String field() {
        return field;
    }

    /** The key as a JSON object. */
    public ObjectNode toJson(T key) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        writer.accept(node, key);
        return node;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, key) -> {
            if (key == null) {
                return null;
            }
            // Written by hand: a key per output record went through a Jackson tree and generator,
            // a noticeable share of the stream thread. The bytes are the same (KeySerdesTest).
            if (!fast.test(key)) {
                try {
                    return Json.MAPPER.writeValueAsBytes(toJson(key));
                } catch (IOException e) {
                    throw new SerializationException("cannot write key " + key, e);
                }
            }
            ByteArrayBuilder out = new ByteArrayBuilder(head.length + 24);
            out.write(head);
            fastWriter.accept(out, key);
            out.append('}');
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                JsonNode value = Json.MAPPER.readTree(bytes).get(field);
                return value == null || value.isNull() ? null : reader.apply(value);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a {\"" + field + "\": …} key", e);
            }
        };
    }
}
