package io.cdcmarts.capture.kafka;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Kafka's {@link JsonConverter} output, written by {@link ConnectJsonWriter} where that is proven
 * equal: on the first value of each schema object both write it, and the direct writer is used for
 * that schema from then on only when the bytes are the same (otherwise the converter is, with one
 * warning). The raw topics' JSON therefore stays the converter's, which the README's recipes and
 * Kafka Connect read, whatever a future Connect or Debezium version changes. Not thread-safe.
 */
final class VerifiedJsonWriter {

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedJsonWriter.class);
    /** Schema objects remembered; past it the memo starts again (a table altered over and over). */
    static final int MAX_SCHEMAS = 1024;

    private final JsonConverter converter;
    private final ConnectJsonWriter direct = new ConnectJsonWriter();
    private final Map<Schema, Boolean> directIsEqual = new IdentityHashMap<>();

    /** @param converter a configured converter whose output this writes */
    VerifiedJsonWriter(JsonConverter converter) {
        this.converter = converter;
    }

    /**
     * @param schema    the schema to write the value under
     * @param value     the value, whose structs may have more fields than the schema (they are looked up by name)
     * @param asConnect the same value as a Connect value of exactly that schema, for the converter
     */
    byte[] write(String topic, Schema schema, Object value, Supplier<Object> asConnect) {
        if (schema == null) {
            return converter.fromConnectData(topic, null, asConnect.get());
        }
        Boolean equal = directIsEqual.get(schema);
        if (equal == null) {
            byte[] expected = converter.fromConnectData(topic, schema, asConnect.get());
            equal = Arrays.equals(expected, directOrNull(schema, value));
            if (!equal) {
                LOG.warn("Events of schema {} on {} are written through Kafka's JsonConverter: capture's own JSON writer"
                        + " writes them differently (slower, nothing else changes)", schema.name(), topic);
            }
            if (directIsEqual.size() >= MAX_SCHEMAS) {
                directIsEqual.clear();
            }
            directIsEqual.put(schema, equal);
            return expected;
        }
        return equal ? direct.write(schema, value) : converter.fromConnectData(topic, schema, asConnect.get());
    }

    private byte[] directOrNull(Schema schema, Object value) {
        try {
            return direct.write(schema, value);
        } catch (RuntimeException e) {
            // any failure of the direct writer (a value it cannot write, a name Jackson refuses)
            // leaves the schema to the converter, which then fails or not as it always did
            return null;
        }
    }
}
