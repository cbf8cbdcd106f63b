package io.cdcmarts.capture.engine;

import io.cdcmarts.common.event.RawChangeEvent;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;

import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.Properties;

/**
 * Sends a column of a composite type ({@code CREATE TYPE pair AS (a int, b text)}) as PostgreSQL's
 * text of the value ({@code (1,"one, ""quoted""")}) in a plain string field, which the sink keeps as
 * VARCHAR. Debezium 3.6 has no mapping for composite types: it left such a column out of every
 * event, so it never reached DuckDB. The stream hands the text over only with
 * {@code include.unknown.datatypes} on (capture sets it), the snapshot as JDBC's {@code PGobject}.
 */
public final class CompositeTypeConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (column.jdbcType() == Types.STRUCT) {
            registration.register(SchemaBuilder.string().optional(), CompositeTypeConverter::text);
        }
    }

    /** PostgreSQL's text of the value as snapshot (a JDBC {@code PGobject}) or stream (text, or its bytes) hands it over. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(value)) {
            return RawChangeEvent.UNAVAILABLE_VALUE;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
