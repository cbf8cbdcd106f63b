package io.cdcmarts.common.event;

import java.util.List;

/**
 * A typed row read up to its values, which stay a slice of the message: for readers that stream
 * them (the sink converts them straight into a row). {@link TypedRow#parse} is this plus the tree;
 * the checks and their messages are TypedRow's.
 *
 * @param columns the columns in table order
 * @param values  the payload object: the values by column name
 */
public record TypedRowEnvelope(List<ColumnSpec> columns, JsonSlice values) {

    /** With the values as a tree. */
    public TypedRow toRow() {
        return new TypedRow(columns, values.tree());
    }

    /**
     * @throws MalformedEventException when the bytes are not a typed row
     */
    public static TypedRowEnvelope read(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedEventException("a tombstone is not a typed row");
        }
        Envelope<JsonSlice> envelope = Envelope.read(bytes, (p, message, base, schema) -> JsonSlice.skip(p, message, base));
        if (!envelope.object() || !envelope.payloadObject() || envelope.schema() == null) {
            throw new MalformedEventException("not a typed row: expected {schema, payload} objects");
        }
        return new TypedRowEnvelope(envelope.schema().rowColumns(), envelope.payload());
    }

    /**
     * Reads a typed row in either form: lean (the values alone, the schema named by the header) when
     * {@code schemaId} is not null, otherwise inline as {@link #read(byte[])}.
     *
     * @param schemaId the message's {@link SchemaIds#HEADER}, or null when it has none
     * @throws MalformedEventException when the bytes are not a typed row, or the schema is not found
     */
    public static TypedRowEnvelope read(byte[] bytes, String schemaId, SchemaDirectory directory) {
        if (schemaId == null) {
            return read(bytes);
        }
        if (bytes == null) {
            throw new MalformedEventException("a tombstone is not a typed row");
        }
        Envelope<JsonSlice> envelope = Envelope.readLean(bytes, directory.schema(schemaId),
                (p, message, base, schema) -> JsonSlice.skip(p, message, base));
        if (!envelope.object()) {
            throw new MalformedEventException("not a typed row: expected the row's values as an object");
        }
        return new TypedRowEnvelope(envelope.schema().rowColumns(), envelope.payload());
    }
}
