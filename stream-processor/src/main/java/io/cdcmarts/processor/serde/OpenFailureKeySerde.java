package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

/**
 * The key of {@code <prefix>.quality.open_failures}: {@code {"table":"customers","key":{"id":42}}},
 * for the rows of one table (the serde knows the table; the processor's key is the row id).
 */
public final class OpenFailureKeySerde implements Serde<Long> {

    private final String table;

    public OpenFailureKeySerde(String table) {
        this.table = table;
    }

    public ObjectNode toJson(long id) {
        ObjectNode key = Json.MAPPER.createObjectNode();
        key.put("table", table);
        key.set("key", IdKeySerde.toJson(id));
        return key;
    }

    @Override
    public Serializer<Long> serializer() {
        return (topic, id) -> {
            if (id == null) {
                return null;
            }
            try {
                return Json.MAPPER.writeValueAsBytes(toJson(id));
            } catch (IOException e) {
                throw new SerializationException("cannot write open-failure key", e);
            }
        };
    }

    @Override
    public Deserializer<Long> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                JsonNode id = Json.MAPPER.readTree(bytes).path("key").get("id");
                return id == null ? null : id.longValue();
            } catch (IOException e) {
                throw new SerializationException("not an open-failure key", e);
            }
        };
    }
}
