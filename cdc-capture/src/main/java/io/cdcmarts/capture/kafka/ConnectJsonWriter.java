package io.cdcmarts.capture.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
import java.util.List;
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
 * {@link LeanEnvelope}, written without copying the event).
 *
 * <p>Each schema object is compiled once into a tree of {@link ValueWriter}s: the logical type and
 * the Connect type are decided, and field names encoded, per schema instead of per value, and a
 * struct's fields are bound to the fields of its own schema once per schema met, not looked up by
 * name in every value. Interpreting the schema for every value (a switch on its name, a hash lookup
 * per field) was half of capture's JSON writing in the 1 M-item snapshot's profile. Not thread-safe.
 */
final class ConnectJsonWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
    private final SchemaMemo<ValueWriter> compiled = new SchemaMemo<>(ConnectJsonWriter::compile);

    byte[] write(Schema schema, Object value) {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            compiled.get(schema).write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a change event as JSON", e);
        }
        return buffer.toByteArray();
    }

    /** Writes one value (null included) of the schema it was compiled for. */
    @FunctionalInterface
    private interface ValueWriter {
        void write(JsonGenerator g, Object value) throws IOException;
    }

    private static ValueWriter compile(Schema schema) {
        ValueWriter present = present(schema);
        boolean optional = schema.isOptional();
        return (g, value) -> {
            if (value != null) {
                present.write(g, value);
            } else if (optional) {
                g.writeNull();
            } else {
                throw new DataException("Conversion error: null value for field that is required and has no default value");
            }
        };
    }

    /** The writer of a value that is not null: Connect's logical types as the converter writes them, then by type. */
    private static ValueWriter present(Schema schema) {
        String name = schema.name();
        if (Decimal.LOGICAL_NAME.equals(name)) {
            return (g, value) -> {
                if (!(value instanceof BigDecimal decimal)) {
                    throw new DataException("Invalid type for Decimal, expected BigDecimal but was " + value.getClass());
                }
                g.writeNumber(decimal);
            };
        }
        if (Date.LOGICAL_NAME.equals(name)) {
            return (g, value) -> g.writeNumber(Date.fromLogical(schema, (java.util.Date) value));
        }
        if (Time.LOGICAL_NAME.equals(name)) {
            return (g, value) -> g.writeNumber(Time.fromLogical(schema, (java.util.Date) value));
        }
        if (Timestamp.LOGICAL_NAME.equals(name)) {
            return (g, value) -> g.writeNumber(Timestamp.fromLogical(schema, (java.util.Date) value));
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> (g, value) -> g.writeNumber(((Number) value).intValue());
            case INT64 -> (g, value) -> g.writeNumber(((Number) value).longValue());
            case FLOAT32 -> (g, value) -> g.writeNumber((Float) value);
            case FLOAT64 -> (g, value) -> g.writeNumber((Double) value);
            case BOOLEAN -> (g, value) -> g.writeBoolean((Boolean) value);
            case STRING -> (g, value) -> g.writeString(((CharSequence) value).toString());
            case BYTES -> (g, value) -> g.writeBinary(bytes(value));
            case ARRAY -> {
                ValueWriter element = compile(schema.valueSchema());
                yield (g, value) -> {
                    g.writeStartArray();
                    for (Object e : (Collection<?>) value) {
                        element.write(g, e);
                    }
                    g.writeEndArray();
                };
            }
            case MAP -> map(schema);
            case STRUCT -> new StructWriter(schema);
        };
    }

    /**
     * A struct under a schema: each of the schema's fields, in its order, with the struct's value of
     * the field of that name. The fields are bound to those of the struct's own schema when a struct
     * of another schema than the last comes.
     */
    private static final class StructWriter implements ValueWriter {

        private final String[] names;
        /**
         * Per field, its name encoded once, or null to write it as text: Jackson writes a surrogate
         * pair (a character outside the BMP) of an encoded name as its UTF-8 bytes, but as two
         * escapes (a backslash, {@code u}, four hex digits) in a name given as text, which is what the
         * converter writes.
         */
        private final SerializedString[] encoded;
        private final ValueWriter[] values;
        private Schema boundTo;
        /** Per field, the struct schema's field of that name, or null to look the value up by name. */
        private Field[] bound;

        StructWriter(Schema schema) {
            List<Field> fields = schema.fields();
            names = new String[fields.size()];
            encoded = new SerializedString[fields.size()];
            values = new ValueWriter[fields.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = fields.get(i).name();
                encoded[i] = names[i].chars().anyMatch(c -> Character.isSurrogate((char) c)) ? null : new SerializedString(names[i]);
                values[i] = compile(fields.get(i).schema());
            }
        }

        @Override
        public void write(JsonGenerator g, Object value) throws IOException {
            Struct struct = (Struct) value;
            if (struct.schema() != boundTo) {
                bind(struct.schema());
            }
            g.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                if (encoded[i] != null) {
                    g.writeFieldName(encoded[i]);
                } else {
                    g.writeFieldName(names[i]);
                }
                Field field = bound[i];
                // without the schema's default, as the converter with replace.null.with.default=false
                values[i].write(g, field != null ? struct.get(field) : struct.getWithoutDefault(names[i]));
            }
            g.writeEndObject();
        }

        private void bind(Schema structSchema) {
            Field[] fields = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                Field field = structSchema.field(names[i]);
                // Struct.get(Field) is getWithoutDefault when the field has no default; a field with
                // one, or one the struct lacks (getWithoutDefault's DataException), stays by name
                fields[i] = field != null && field.schema().defaultValue() == null ? field : null;
            }
            bound = fields;
            boundTo = structSchema;
        }
    }

    /** A map with string keys is an object; any other a list of [key, value] pairs (as the converter does). */
    private static ValueWriter map(Schema schema) {
        ValueWriter valueWriter = compile(schema.valueSchema());
        if (schema.keySchema().type() == Schema.Type.STRING) {
            return (g, value) -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    valueWriter.write(g, e.getValue());
                }
                g.writeEndObject();
            };
        }
        ValueWriter keyWriter = compile(schema.keySchema());
        return (g, value) -> {
            g.writeStartArray();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                g.writeStartArray();
                keyWriter.write(g, e.getKey());
                valueWriter.write(g, e.getValue());
                g.writeEndArray();
            }
            g.writeEndArray();
        };
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
