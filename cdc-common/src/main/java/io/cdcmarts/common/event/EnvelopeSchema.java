package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code schema} object of a message, read once: its exact bytes (to know it again in the next
 * message) and the column lists readers take from it. Every message of a table version carries the
 * same schema, most of its bytes, so {@link SchemaCache} keeps these and no message after the first
 * reads its schema again. Immutable; the column lists are the same instances for every message.
 *
 * <p>A schema that does not describe columns is kept too, with the error each reader reports for it:
 * which error a message gets depends on its payload (a delete reads the columns of {@code before}).
 */
final class EnvelopeSchema {

    private final byte[] bytes;
    private final Columns before;
    private final Columns after;
    private final Columns row;

    private EnvelopeSchema(byte[] bytes, JsonNode schema) {
        this.bytes = bytes;
        this.before = Columns.of(() -> imageColumns(schema, "before"));
        this.after = Columns.of(() -> imageColumns(schema, "after"));
        this.row = Columns.of(() -> ColumnSpecs.parse(schema.get("fields"), "schema"));
    }

    /** @param bytes a JSON object, checked to be well-formed, which this keeps (pass a copy) */
    static EnvelopeSchema parse(byte[] bytes) throws IOException {
        return new EnvelopeSchema(bytes, Json.MAPPER.readTree(bytes));
    }

    int length() {
        return bytes.length;
    }

    /** Whether {@code message} holds exactly this schema's bytes from {@code from} on. */
    boolean isAt(byte[] message, int from) {
        int to = from + bytes.length;
        return to <= message.length && Arrays.equals(bytes, 0, bytes.length, message, from, to);
    }

    /**
     * The columns of a Debezium envelope's row image ({@code before} or {@code after}).
     *
     * @throws MalformedEventException when the schema does not describe that image's columns
     */
    List<ColumnSpec> imageColumns(String image) {
        return ("before".equals(image) ? before : after).get();
    }

    /** The columns of a row image, or null when the schema does not describe them. */
    List<ColumnSpec> imageColumnsOrNull(String image) {
        return ("before".equals(image) ? before : after).list();
    }

    /**
     * The columns of a typed row (the schema's own {@code fields}).
     *
     * @throws MalformedEventException when the schema does not describe columns
     */
    List<ColumnSpec> rowColumns() {
        return row.get();
    }

    /** The columns of a row image as a Debezium envelope's schema (a tree) describes them. */
    static List<ColumnSpec> imageColumns(JsonNode envelopeSchema, String image) {
        JsonNode fields = envelopeSchema.get("fields");
        if (fields == null || !fields.isArray()) {
            throw new MalformedEventException("'schema.fields' is missing");
        }
        for (JsonNode f : fields) {
            if (image.equals(f.path("field").asText(null))) {
                return ColumnSpecs.parse(f.get("fields"), image);
            }
        }
        throw new MalformedEventException("schema has no '" + image + "' field");
    }

    /** A column list, or why the schema has none. */
    private record Columns(List<ColumnSpec> list, String error) {

        static Columns of(Supplier<List<ColumnSpec>> parse) {
            try {
                return new Columns(List.copyOf(parse.get()), null);
            } catch (MalformedEventException e) {
                return new Columns(null, e.getMessage());
            }
        }

        List<ColumnSpec> get() {
            if (error != null) {
                throw new MalformedEventException(error);
            }
            return list;
        }
    }
}
