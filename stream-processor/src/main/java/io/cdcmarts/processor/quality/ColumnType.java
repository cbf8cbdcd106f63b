package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.ColumnSpec;

/**
 * The source column types the staging layer knows, with the Kafka Connect JSON form the raw
 * events and the staging rows share (SPEC §4: NUMERIC exact, TIMESTAMPTZ as ISO-8601 text).
 */
public enum ColumnType {
    INT64("int64", null),
    INT32("int32", null),
    DECIMAL("bytes", ColumnSpec.DECIMAL),
    TEXT("string", null),
    TIMESTAMPTZ("string", ColumnSpec.ZONED_TIMESTAMP),
    BOOLEAN("boolean", null);

    private final String connectType;
    private final String logical;

    ColumnType(String connectType, String logical) {
        this.connectType = connectType;
        this.logical = logical;
    }

    public String connectType() {
        return connectType;
    }

    /** The Connect/Debezium semantic name, or null. */
    public String logical() {
        return logical;
    }
}
