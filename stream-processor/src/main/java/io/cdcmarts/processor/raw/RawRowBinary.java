package io.cdcmarts.processor.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.processor.serde.Binary;
import org.apache.kafka.common.serialization.Serde;

/** A raw row in the processor's binary form, alone (a store's value) or inside another value. */
public final class RawRowBinary {

    /** The raw tables' rows (one store write per raw change). */
    public static final Serde<RawRow> SERDE = Binary.serde("a raw row", 1, RawRowBinary::write, RawRowBinary::read);

    private RawRowBinary() {
    }

    public static void write(Binary.Out out, RawRow r) {
        out.json(r.values()).varLong(r.lsn()).varLong(r.sourceTsMs()).varLong(r.partition()).varLong(r.offset());
    }

    public static RawRow read(Binary.In in) {
        JsonNode values = in.json();
        return new RawRow(values.isNull() ? null : (ObjectNode) values, in.varLong(), in.varLong(), in.varInt(), in.varLong());
    }

    /** A row that may be null: a flag, then the row. */
    public static void writeNullable(Binary.Out out, RawRow r) {
        out.bool(r != null);
        if (r != null) {
            write(out, r);
        }
    }

    public static RawRow readNullable(Binary.In in) {
        return in.bool() ? read(in) : null;
    }
}
