package io.cdcmarts.capture.kafka;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

import java.util.List;

/**
 * Debezium's change event envelope cut to what a reader of the raw topics uses: {@code before},
 * {@code after}, {@code op}, {@code ts_ms} as Debezium writes them, and a {@code source} reduced
 * to {@code ts_ms} (commit time), {@code txId} and {@code lsn}. Left out: the source block's
 * constants and copies (connector version and name, server, database, schema and table, which the
 * topic names; the snapshot marker, which {@code op = r} says; {@code sequence}, {@code xmin},
 * {@code origin*}, and the micro- and nanosecond copies of the timestamps), the envelope's
 * {@code transaction} (null: capture does not ask for transaction metadata) and its {@code ts_us} and
 * {@code ts_ns}. On an order item they were 60 % of the value (issue #11).
 *
 * <p>The result keeps the envelope's shape and names, so it is still read as a Debezium event by
 * anything that looks up fields by name; its schema (what {@code <prefix>.schemas} holds) names
 * the reduced source {@link #SOURCE_SCHEMA_NAME}. A value that is not such an envelope is returned
 * as it is. Reduced schemas are kept per Debezium schema object (one per table version). Not
 * thread-safe.
 */
final class LeanEnvelope {

    /** The schema name of the reduced {@code source} block (Debezium's is {@code io.debezium.connector.postgresql.Source}). */
    static final String SOURCE_SCHEMA_NAME = "io.cdcmarts.capture.Source";
    /** The envelope fields kept, in Debezium's order; any other is left out. */
    static final List<String> ENVELOPE_FIELDS = List.of("before", "after", "source", "op", "ts_ms");
    /** The source fields kept, in Debezium's order. */
    static final List<String> SOURCE_FIELDS = List.of("ts_ms", "txId", "lsn");

    /** A value and its schema. */
    record Reduced(Schema schema, Object value) {
    }

    /** How one Debezium envelope schema is reduced; null fields are absent from the original. */
    private record Plan(Schema schema, Field[] envelope, Field[] source, Schema sourceSchema) {
    }

    private final SchemaMemo<Plan> plans = new SchemaMemo<>(LeanEnvelope::planOf);

    /** The reduced schema of a Debezium envelope schema; any other schema (or null) as it is. */
    Schema schema(Schema schema) {
        return schema == null ? null : plans.get(schema).schema();
    }

    /**
     * The event as a Connect value of {@link #schema(Schema)}: a copy of the kept fields (Connect
     * validates every value put), so a writer that looks fields up by name writes the original
     * instead ({@link ConnectJsonWriter}).
     */
    Reduced reduce(Schema schema, Object value) {
        if (schema == null || !(value instanceof Struct struct)) {
            return new Reduced(schema, value);
        }
        Plan plan = plans.get(schema);
        if (plan.schema() == schema) {
            return new Reduced(schema, value);
        }
        Struct out = new Struct(plan.schema());
        for (Field f : plan.envelope()) {
            Object v = struct.get(f);
            if (f.name().equals("source") && v instanceof Struct source) {
                v = source(plan, source);
            }
            out.put(f.name(), v);
        }
        return new Reduced(plan.schema(), out);
    }

    private static Struct source(Plan plan, Struct source) {
        Struct out = new Struct(plan.sourceSchema());
        for (Field f : plan.source()) {
            out.put(f.name(), source.get(f));
        }
        return out;
    }

    /**
     * The reduced schema, or the schema itself when it is not a Debezium envelope (no struct
     * {@code source}, or an {@code after} missing): nothing is taken from what we do not know.
     */
    private static Plan planOf(Schema schema) {
        Field sourceField = schema.type() == Schema.Type.STRUCT ? schema.field("source") : null;
        if (sourceField == null || sourceField.schema().type() != Schema.Type.STRUCT || schema.field("op") == null
                || schema.field("after") == null) {
            return new Plan(schema, null, null, null);
        }
        Schema debeziumSource = sourceField.schema();
        SchemaBuilder source = SchemaBuilder.struct().name(SOURCE_SCHEMA_NAME);
        if (debeziumSource.isOptional()) {
            source.optional();
        }
        List<Field> sourceFields = SOURCE_FIELDS.stream().map(debeziumSource::field).filter(f -> f != null).toList();
        sourceFields.forEach(f -> source.field(f.name(), f.schema()));
        Schema sourceSchema = source.build();

        SchemaBuilder envelope = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.isOptional()) {
            envelope.optional();
        }
        List<Field> envelopeFields = ENVELOPE_FIELDS.stream().map(schema::field).filter(f -> f != null).toList();
        for (Field f : envelopeFields) {
            envelope.field(f.name(), f.name().equals("source") ? sourceSchema : f.schema());
        }
        return new Plan(envelope.build(), envelopeFields.toArray(Field[]::new), sourceFields.toArray(Field[]::new),
                sourceSchema);
    }
}
