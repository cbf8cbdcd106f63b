package io.cdcmarts.capture.engine;

import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Properties;

/**
 * Sends a {@code numeric} column declared without precision as its exact text, in PostgreSQL's
 * form ({@code 0.00000000000000000001}, {@code 123456789012345678901234567890.123}, {@code NaN},
 * {@code Infinity}), in a string field named {@value #LOGICAL_NAME}.
 *
 * <p>Debezium's precise mode would send a {@code VariableScaleDecimal}, which turns {@code NaN}
 * and the infinities into NULL, and whose values no fixed DuckDB DECIMAL holds (38 digits at most,
 * any scale per value). A NUMERIC(p, s) keeps Debezium's exact {@code Decimal}: a column of one
 * precision fits one DuckDB type.
 */
public final class UnconstrainedNumericConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    /** The semantic name of the string field: the sink maps it to VARCHAR, keeping the text. */
    public static final String LOGICAL_NAME = "io.cdcmarts.UnconstrainedNumeric";

    /** The length PostgreSQL's catalog reports for a NUMERIC without typmod (Debezium's test too). */
    private static final int VARIABLE_LENGTH = 131089;

    /** The field's schema, also for generated columns capture computes. */
    public static Schema schema() {
        return builder().build();
    }

    private static SchemaBuilder builder() {
        return SchemaBuilder.string().name(LOGICAL_NAME).optional();
    }

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (isUnconstrainedNumeric(column)) {
            registration.register(builder(), UnconstrainedNumericConverter::text);
        }
    }

    /** Debezium's own test for a variable-scale decimal: numeric, no length (or the catalog's maximum), no scale. */
    static boolean isUnconstrainedNumeric(RelationalColumn column) {
        if (!"numeric".equals(column.typeName().toLowerCase(Locale.ROOT))) {
            return false;
        }
        int length = column.length().orElse(0);
        return (length == 0 || length == VARIABLE_LENGTH) && column.scale().orElse(0) == 0;
    }

    /** PostgreSQL's text of the value as snapshot (JDBC) or stream (pgoutput) hands it over. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof SpecialValueDecimal s) {
            if (s.getDecimalValue().isPresent()) {
                return s.getDecimalValue().get().toPlainString();
            }
            return s.equals(SpecialValueDecimal.NOT_A_NUMBER) ? "NaN"
                    : s.equals(SpecialValueDecimal.POSITIVE_INF) ? "Infinity" : "-Infinity";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).toPlainString();
        }
        return value.toString();
    }
}
