package io.cdcmarts.capture.engine;

import io.cdcmarts.common.event.RawChangeEvent;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * Sends every array column as PostgreSQL's own text of the value ({@code {1,NULL,3}},
 * {@code {{1,2},{3,4}}}, {@code {"a b",NULL}}) in a string field named {@value #LOGICAL_NAME}, with
 * the element type ({@value #ELEMENT}, PostgreSQL's type name: {@code int4}, {@code timestamptz} …)
 * and the declared number of dimensions ({@value #DIMENSIONS}) as schema parameters.
 *
 * <p>Debezium's own arrays are Connect arrays of one element type: a 2-D array's rows cannot be
 * converted to that element and arrive as {@code [null,null]}, and several element types (numeric
 * NaN, infinities, ranges) lose their value. The text is what PostgreSQL gives for the snapshot
 * (JDBC) and the stream (pgoutput) alike; the sink parses it into a DuckDB list of the element type.
 *
 * <p>PostgreSQL does not enforce an array column's dimensions; the declared ones
 * ({@code pg_attribute.attndims}: 2 for {@code int[][]}) fix the DuckDB list's nesting, read from the
 * catalog when Debezium builds the table's schema. A value of other dimensions is the sink's dead
 * letter, never a wrong row.
 */
public final class PgArrayConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    /** The semantic name of the string field. */
    public static final String LOGICAL_NAME = "io.cdcmarts.PgArray";
    /** Schema parameter: PostgreSQL's name of the element type. */
    public static final String ELEMENT = "element";
    /** Schema parameter: the declared dimensions, at least 1. */
    public static final String DIMENSIONS = "dimensions";
    /** The converter's property prefix for the catalog connection (Debezium passes each converter its own). */
    static final String JDBC_PREFIX = "jdbc.";
    static final String JDBC_URL = JDBC_PREFIX + "url";

    private static final Logger LOG = LoggerFactory.getLogger(PgArrayConverter.class);

    private String url;
    private final Properties connectionProps = new Properties();
    private boolean warned;

    @Override
    public void configure(Properties props) {
        url = props.getProperty(JDBC_URL);
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(JDBC_PREFIX) && !key.equals(JDBC_URL)) {
                connectionProps.setProperty(key.substring(JDBC_PREFIX.length()), props.getProperty(key));
            }
        }
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String element = elementType(column.typeName());
        if (element == null) {
            return;
        }
        SchemaBuilder schema = SchemaBuilder.string().name(LOGICAL_NAME).optional()
                .parameter(ELEMENT, element)
                .parameter(DIMENSIONS, Integer.toString(dimensions(column)));
        registration.register(schema, PgArrayConverter::text);
    }

    /** The element type of an array type name ({@code _int4}, {@code integer[]}), or null for any other type. */
    static String elementType(String typeName) {
        if (typeName == null) {
            return null;
        }
        String t = typeName.toLowerCase(Locale.ROOT);
        if (t.startsWith("_") && t.length() > 1) {
            return t.substring(1);
        }
        if (t.endsWith("[]")) {
            return t.substring(0, t.indexOf('['));
        }
        return null;
    }

    private int dimensions(RelationalColumn column) {
        if (url == null) {
            return 1;
        }
        String collection = column.dataCollection();
        int dot = collection == null ? -1 : collection.indexOf('.');
        if (dot < 0) {
            return 1;
        }
        try (Connection c = DriverManager.getConnection(url, connectionProps);
             PreparedStatement ps = c.prepareStatement("SELECT a.attndims FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid "
                     + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? AND a.attname = ?")) {
            ps.setString(1, collection.substring(0, dot));
            ps.setString(2, collection.substring(dot + 1));
            ps.setString(3, column.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Math.max(1, rs.getInt(1)) : 1;
            }
        } catch (SQLException e) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot read the declared dimensions of array column {}.{} ({}): arrays are taken as one-dimensional",
                        collection, column.name(), e.getMessage());
            }
            return 1;
        }
    }

    /** PostgreSQL's text of an array as JDBC (snapshot) or pgoutput (stream) hands it over. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(value)) {
            // An unchanged TOASTed array in an update: the sink keeps the stored value.
            return RawChangeEvent.UNAVAILABLE_VALUE;
        }
        // org.postgresql.jdbc.PgArray's text is the server's literal (built from it in binary mode).
        return value.toString();
    }
}
