package io.cdcmarts.capture.generated;

import io.cdcmarts.capture.engine.UnconstrainedNumericConverter;
import io.debezium.data.VariableScaleDecimal;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts the value of stored generated columns into change events that lack it (SPEC §4): before
 * PostgreSQL 18, pgoutput leaves generated columns out of streamed rows, so Debezium's streamed
 * events have no such field (or a null one) while its snapshot events have the stored value.
 *
 * <p>For each data event, every generated column whose value is absent or null in {@code after}
 * (and in {@code before}, when present) is computed from the other columns of the same image with
 * its {@link GenerationExpression}. A column absent from the event's schema is added to it, in
 * catalog position and with the Connect type Debezium gives that column in snapshots, so snapshot
 * and streamed events describe the same columns. Columns whose expression cannot be computed stay
 * null.
 *
 * <p>The table's catalog entry is re-read whenever the row schema of its events changes (Debezium
 * builds a new one after a relation change such as {@code ALTER TABLE … ADD COLUMN}). Not
 * thread-safe: the engine hands batches to one consumer thread.
 */
public final class GeneratedColumnFiller {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratedColumnFiller.class);
    private static final String BEFORE = "before";
    private static final String AFTER = "after";

    private final TableCatalog catalog;
    private final Map<String, TableState> tables = new HashMap<>();
    private final Map<Schema, Patch> patches = new HashMap<>();

    private record TableState(Schema rowSchema, TableShape shape, List<GeneratedColumn> columns) {
    }

    /** A widened envelope schema and its widened row schema. */
    private record Patch(Schema envelope, Schema row) {
    }

    public GeneratedColumnFiller(TableCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The record with its generated columns filled in, or the record itself when nothing is missing.
     *
     * @param table the source table the record belongs to
     */
    public SourceRecord fill(String table, SourceRecord record) {
        if (!(record.value() instanceof Struct envelope)) {
            return record;
        }
        Schema envelopeSchema = record.valueSchema();
        Schema rowSchema = rowSchema(envelopeSchema);
        if (rowSchema == null) {
            return record;
        }
        TableState state = state(table, rowSchema);
        if (state.columns().isEmpty()) {
            return record;
        }
        Struct before = envelope.getStruct(BEFORE);
        Struct after = envelope.getStruct(AFTER);
        if (!needsWork(state, rowSchema, before) && !needsWork(state, rowSchema, after)) {
            return record;
        }
        Patch patch = patches.computeIfAbsent(envelopeSchema, s -> widen(s, rowSchema, state));
        Struct filled = new Struct(patch.envelope());
        for (Field f : envelopeSchema.fields()) {
            Object v = envelope.get(f);
            if ((BEFORE.equals(f.name()) || AFTER.equals(f.name())) && v != null) {
                v = fillRow((Struct) v, patch.row(), state.columns());
            }
            filled.put(f.name(), v);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                patch.envelope(), filled, record.timestamp(), record.headers());
    }

    private static Schema rowSchema(Schema envelope) {
        if (envelope == null || envelope.type() != Schema.Type.STRUCT) {
            return null;
        }
        Field after = envelope.field(AFTER);
        if (after != null) {
            return after.schema();
        }
        Field before = envelope.field(BEFORE);
        return before == null ? null : before.schema();
    }

    private TableState state(String table, Schema rowSchema) {
        TableState state = tables.get(table);
        if (state == null || !state.rowSchema().equals(rowSchema)) {
            TableShape shape = catalog.load(table).orElse(new TableShape(table, List.of()));
            List<GeneratedColumn> columns = shape.generatedColumns();
            state = new TableState(rowSchema, shape, columns);
            tables.put(table, state);
            if (!columns.isEmpty()) {
                LOG.debug("Generated columns of {}: {}", table, columns.stream().map(GeneratedColumn::describe).toList());
            }
        }
        return state;
    }

    private static boolean needsWork(TableState state, Schema rowSchema, Struct row) {
        if (row == null) {
            return false;
        }
        for (GeneratedColumn g : state.columns()) {
            Field f = rowSchema.field(g.name());
            if (f == null) {
                if (connectSchema(g.column().type()).isPresent()) {
                    return true;
                }
            } else if (row.get(f) == null && g.expression() != null) {
                return true;
            }
        }
        return false;
    }

    private Patch widen(Schema envelope, Schema row, TableState state) {
        Map<String, Integer> attnums = new HashMap<>();
        state.shape().columns().forEach(c -> attnums.put(c.name(), c.attnum()));
        List<Field> fields = new ArrayList<>(row.fields());
        for (GeneratedColumn g : state.columns()) {
            if (row.field(g.name()) != null) {
                continue;
            }
            Optional<Schema> schema = connectSchema(g.column().type());
            if (schema.isEmpty()) {
                continue;
            }
            int at = 0;
            for (int i = 0; i < fields.size(); i++) {
                Integer n = attnums.get(fields.get(i).name());
                if (n != null && n < g.column().attnum()) {
                    at = i + 1;
                }
            }
            fields.add(at, new Field(g.name(), -1, schema.get()));
        }
        SchemaBuilder rowBuilder = copyHeader(row);
        fields.forEach(f -> rowBuilder.field(f.name(), f.schema()));
        Schema widenedRow = rowBuilder.build();
        SchemaBuilder envelopeBuilder = copyHeader(envelope);
        for (Field f : envelope.fields()) {
            boolean image = BEFORE.equals(f.name()) || AFTER.equals(f.name());
            envelopeBuilder.field(f.name(), image ? widenedRow : f.schema());
        }
        return new Patch(envelopeBuilder.build(), widenedRow);
    }

    private static SchemaBuilder copyHeader(Schema s) {
        SchemaBuilder b = SchemaBuilder.struct().name(s.name()).version(s.version()).doc(s.doc());
        if (s.parameters() != null) {
            b.parameters(s.parameters());
        }
        if (s.isOptional()) {
            b.optional();
        }
        return b;
    }

    private static Struct fillRow(Struct row, Schema target, List<GeneratedColumn> columns) {
        Struct out = new Struct(target);
        for (Field f : row.schema().fields()) {
            out.put(f.name(), row.get(f));
        }
        for (GeneratedColumn g : columns) {
            Field f = target.field(g.name());
            if (f == null || out.get(f) != null || g.expression() == null) {
                continue;
            }
            BigDecimal value = compute(g.expression(), row);
            if (value != null) {
                out.put(f, connectValue(value, f.schema()));
            }
        }
        return out;
    }

    /** The expression over one row image, or null when an input is missing, unavailable or NULL. */
    private static BigDecimal compute(GenerationExpression expression, Struct row) {
        Map<String, BigDecimal> inputs = new HashMap<>();
        Set<String> columns = expression.columns();
        for (String c : columns) {
            Field f = row.schema().field(c);
            if (f == null) {
                return null;
            }
            Object raw = row.get(f);
            if (raw == null) {
                return null;
            }
            BigDecimal v = toDecimal(raw);
            if (v == null) {
                return null; // e.g. a TOAST placeholder: not a number we can compute with
            }
            inputs.put(c, v);
        }
        return expression.evaluate(inputs::get);
    }

    static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Float f) {
            return new BigDecimal(Float.toString(f));
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof String text) {
            // an unconstrained NUMERIC's text (UnconstrainedNumericConverter); NaN and infinities compute nothing
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (v instanceof Struct s && VariableScaleDecimal.LOGICAL_NAME.equals(s.schema().name())) {
            return VariableScaleDecimal.toLogical(s).getDecimalValue().orElse(null);
        }
        return null;
    }

    /** A computed value in the form a field's Connect schema wants. */
    static Object connectValue(BigDecimal v, Schema schema) {
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            return v.setScale(scale, java.math.RoundingMode.HALF_UP);
        }
        if (VariableScaleDecimal.LOGICAL_NAME.equals(schema.name())) {
            return VariableScaleDecimal.fromLogical(schema, v);
        }
        return switch (schema.type()) {
            case INT8 -> v.byteValue();
            case INT16 -> v.shortValueExact();
            case INT32 -> v.intValueExact();
            case INT64 -> v.longValueExact();
            case FLOAT32 -> v.floatValue();
            case FLOAT64 -> v.doubleValue();
            case STRING -> v.toPlainString();
            default -> throw new IllegalArgumentException("cannot put a number into a " + schema.type() + " field");
        };
    }

    /**
     * The Connect schema Debezium gives a column of this type (decimal.handling.mode=precise), for
     * the types the evaluator computes; empty for the rest.
     */
    static Optional<Schema> connectSchema(PgType type) {
        return switch (type.name()) {
            case "int2" -> Optional.of(Schema.OPTIONAL_INT16_SCHEMA);
            case "int4" -> Optional.of(Schema.OPTIONAL_INT32_SCHEMA);
            case "int8" -> Optional.of(Schema.OPTIONAL_INT64_SCHEMA);
            case "float4" -> Optional.of(Schema.OPTIONAL_FLOAT32_SCHEMA);
            case "float8" -> Optional.of(Schema.OPTIONAL_FLOAT64_SCHEMA);
            case "numeric" -> Optional.of(type.hasScale()
                    ? Decimal.builder(type.scale())
                            .parameter("connect.decimal.precision", Integer.toString(type.precision()))
                            .optional().build()
                    : UnconstrainedNumericConverter.schema());
            default -> Optional.empty();
        };
    }
}
