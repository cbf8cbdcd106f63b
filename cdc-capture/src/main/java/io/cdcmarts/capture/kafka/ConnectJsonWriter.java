package io.cdcmarts.capture.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a Connect value with its schema as the JSON that Kafka's {@code JsonConverter} writes with
 * {@code schemas.enable=false}, {@code decimal.format=NUMERIC} and
 * {@code replace.null.with.default=false}, byte for byte, but straight onto one Jackson generator:
 * the converter builds a tree of every value and then serialises it, which was a fifth of capture's
 * CPU in the snapshot (issue #11). {@code LeanValueWriterTest} and {@code ConnectJsonWriterTest}
 * check the equality against the converter; {@link LeanValueWriter} checks it again on the first
 * value of every schema it meets and falls back to the converter for a schema where it differs.
 *
 * <p>A struct's fields are those of the schema given, looked up <em>by name</em> in the struct: a
 * struct may be written under a schema with fewer fields than its own (the reduced envelope of
 * {@link LeanEnvelope}, written without copying the event). Not thread-safe.
 */
final class ConnectJsonWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    byte[] write(Schema schema, Object value) {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            write(g, schema, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a change event as JSON", e);
        }
        return buffer.toByteArray();
    }

    private static void write(JsonGenerator g, Schema schema, Object value) throws IOException {
        if (value == null) {
            if (!schema.isOptional()) {
                throw new DataException("Conversion error: null value for field that is required and has no default value");
            }
            g.writeNull();
            return;
        }
        String name = schema.name();
        if (name != null && logical(g, schema, name, value)) {
            return;
        }
        switch (schema.type()) {
            case INT8, INT16, INT32 -> g.writeNumber(((Number) value).intValue());
            case INT64 -> g.writeNumber(((Number) value).longValue());
            case FLOAT32 -> g.writeNumber((Float) value);
            case FLOAT64 -> g.writeNumber((Double) value);
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            case STRING -> g.writeString(((CharSequence) value).toString());
            case BYTES -> g.writeBinary(bytes(value));
            case ARRAY -> {
                g.writeStartArray();
                for (Object element : (Collection<?>) value) {
                    write(g, schema.valueSchema(), element);
                }
                g.writeEndArray();
            }
            case MAP -> map(g, schema, (Map<?, ?>) value);
            case STRUCT -> {
                Struct struct = (Struct) value;
                g.writeStartObject();
                for (Field f : schema.fields()) {
                    g.writeFieldName(f.name());
                    // without the schema's default, as the converter with replace.null.with.default=false
                    write(g, f.schema(), struct.getWithoutDefault(f.name()));
                }
                g.writeEndObject();
            }
            default -> throw new DataException("Couldn't convert " + value + " to JSON.");
        }
    }

    /** Connect's logical types, as the converter writes them; false for any other schema name. */
    private static boolean logical(JsonGenerator g, Schema schema, String name, Object value) throws IOException {
        switch (name) {
            case Decimal.LOGICAL_NAME -> {
                if (!(value instanceof BigDecimal decimal)) {
                    throw new DataException("Invalid type for Decimal, expected BigDecimal but was " + value.getClass());
                }
                g.writeNumber(decimal);
            }
            case Date.LOGICAL_NAME -> g.writeNumber(Date.fromLogical(schema, (java.util.Date) value));
            case Time.LOGICAL_NAME -> g.writeNumber(Time.fromLogical(schema, (java.util.Date) value));
            case Timestamp.LOGICAL_NAME -> g.writeNumber(Timestamp.fromLogical(schema, (java.util.Date) value));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A map with string keys is an object; any other a list of [key, value] pairs (as the converter does). */
    private static void map(JsonGenerator g, Schema schema, Map<?, ?> map) throws IOException {
        boolean object = schema.keySchema().type() == Schema.Type.STRING;
        if (object) {
            g.writeStartObject();
        } else {
            g.writeStartArray();
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (object) {
                g.writeFieldName(String.valueOf(e.getKey()));
            } else {
                g.writeStartArray();
                write(g, schema.keySchema(), e.getKey());
            }
            write(g, schema.valueSchema(), e.getValue());
            if (!object) {
                g.writeEndArray();
            }
        }
        if (object) {
            g.writeEndObject();
        } else {
            g.writeEndArray();
        }
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.array(); // what the converter writes: the whole backing array
        }
        throw new DataException("Invalid type for bytes type: " + value.getClass());
    }
}
