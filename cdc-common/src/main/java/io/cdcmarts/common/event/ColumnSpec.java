package io.cdcmarts.common.event;

import java.util.Map;

/**
 * One column of a captured table as the change event's Kafka Connect schema describes it.
 *
 * @param name       the source column name
 * @param type       the Connect type: int8, int16, int32, int64, float32, float64, boolean,
 *                   string, bytes, struct, array, map
 * @param logical    the Connect/Debezium semantic name (e.g. {@code org.apache.kafka.connect.data.Decimal},
 *                   {@code io.debezium.time.ZonedTimestamp}), or null
 * @param parameters the schema parameters (decimal scale and precision, enum values …)
 * @param optional   whether the column is nullable
 */
public record ColumnSpec(String name, String type, String logical, Map<String, String> parameters, boolean optional) {

    public static final String DECIMAL = "org.apache.kafka.connect.data.Decimal";
    public static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
    public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    public static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    public static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    public static final String TIMESTAMP = "io.debezium.time.Timestamp";
    public static final String DATE = "io.debezium.time.Date";
    public static final String MICRO_TIME = "io.debezium.time.MicroTime";
    public static final String TIME = "io.debezium.time.Time";
    public static final String ZONED_TIME = "io.debezium.time.ZonedTime";
    public static final String UUID = "io.debezium.data.Uuid";
    public static final String JSON = "io.debezium.data.Json";

    public ColumnSpec {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** Decimal scale, when the column is a fixed-scale decimal. */
    public int scale() {
        return Integer.parseInt(parameters.getOrDefault("scale", "0"));
    }

    /** Decimal precision, or -1 when the source did not declare one (NUMERIC without typmod). */
    public int precision() {
        String p = parameters.get("connect.decimal.precision");
        return p == null ? -1 : Integer.parseInt(p);
    }
}
