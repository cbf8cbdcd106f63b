package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.time.LocalDate;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A mart key: a JSON object with one field named after the mart's key column, e.g.
 * {@code {"day":"2024-03-01"}}, {@code {"product_id":7}}, {@code {"category":"shoes"}}. The same
 * serde keys the mart's repartition topic and its output topic.
 */
public final class FieldKeySerde<T> implements Serde<T> {

    private final String field;
    private final BiConsumer<ObjectNode, T> writer;
    private final Function<JsonNode, T> reader;

    private FieldKeySerde(String field, BiConsumer<ObjectNode, T> writer, Function<JsonNode, T> reader) {
        this.field = field;
        this.writer = writer;
        this.reader = reader;
    }

    public static FieldKeySerde<Long> ofLong(String field) {
        return new FieldKeySerde<>(field, (node, v) -> node.put(field, v), JsonNode::longValue);
    }

    public static FieldKeySerde<String> ofString(String field) {
        return new FieldKeySerde<>(field, (node, v) -> node.put(field, v), JsonNode::textValue);
    }

    /** A date key, written as ISO {@code yyyy-MM-dd} text. */
    public static FieldKeySerde<LocalDate> ofDate(String field) {
        return new FieldKeySerde<>(field, (node, v) -> node.put(field, v.toString()),
                n -> LocalDate.parse(n.textValue()));
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
            try {
                return Json.MAPPER.writeValueAsBytes(toJson(key));
            } catch (IOException e) {
                throw new SerializationException("cannot write key " + key, e);
            }
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
