package io.cdcmarts.sink.duckdb;

import java.util.List;

/**
 * The fixed part of the DuckDB file: the schemas, the metadata columns of raw tables, the key of
 * {@code quality.open_failures}, and the sink's own tables ({@code _cdc.offsets},
 * {@code quality.dead_letters}).
 */
public final class Layout {

    private Layout() {
    }

    /** Every schema the sink writes. */
    public static final List<String> SCHEMAS = List.of(TableRef.RAW, TableRef.STG, TableRef.MART, TableRef.QUALITY, TableRef.META);

    /** Raw tables' metadata columns, after the source columns of the first event. */
    public static final String OP = "_op";
    public static final String LSN = "_lsn";
    public static final String SOURCE_TS = "_source_ts";
    public static final String INGESTED_AT = "_ingested_at";
    public static final List<TableSchema.Column> RAW_METADATA = List.of(
            new TableSchema.Column(OP, DuckType.VARCHAR),
            new TableSchema.Column(LSN, DuckType.BIGINT),
            new TableSchema.Column(SOURCE_TS, DuckType.TIMESTAMPTZ),
            new TableSchema.Column(INGESTED_AT, DuckType.TIMESTAMPTZ));

    /** {@code quality.open_failures}: one row per failing source row, keyed like its topic. */
    public static final TableRef OPEN_FAILURES = new TableRef(TableRef.QUALITY, "open_failures");
    public static final String OPEN_FAILURES_TABLE = "table";
    public static final String OPEN_FAILURES_KEY = "key";
    public static final List<TableSchema.Column> OPEN_FAILURES_KEY_COLUMNS = List.of(
            new TableSchema.Column(OPEN_FAILURES_TABLE, DuckType.VARCHAR),
            new TableSchema.Column(OPEN_FAILURES_KEY, DuckType.JSON));

    /** {@code _cdc.offsets}: the next offset to consume per topic partition, written with every batch. */
    public static final TableRef OFFSETS = new TableRef(TableRef.META, "offsets");
    public static final TableSchema OFFSETS_SCHEMA = new TableSchema(OFFSETS, List.of(
            new TableSchema.Column("topic", DuckType.VARCHAR),
            new TableSchema.Column("partition", DuckType.INTEGER),
            new TableSchema.Column("next_offset", DuckType.BIGINT),
            new TableSchema.Column("updated_at", DuckType.TIMESTAMPTZ)),
            List.of("topic", "partition"));

    /**
     * {@code _cdc.table_keys}: the key columns of every table the sink created. Data tables carry no
     * declared PRIMARY KEY (keeping its index up costs more than the append itself; the sink keeps
     * every key unique: one change per key per batch, and each batch deletes its keys before it
     * appends), so their key is recorded here. Written in the transaction that creates the table.
     */
    public static final TableRef TABLE_KEYS = new TableRef(TableRef.META, "table_keys");

    /** The sink's own tables, upserted with ON CONFLICT: they keep a declared PRIMARY KEY. */
    public static boolean declaresPrimaryKey(TableRef table) {
        return table.equals(OFFSETS) || table.equals(DEAD_LETTERS);
    }

    /** {@code quality.dead_letters}: one row per failing source message. */
    public static final TableRef DEAD_LETTERS = new TableRef(TableRef.QUALITY, "dead_letters");
    public static final TableSchema DEAD_LETTERS_SCHEMA = new TableSchema(DEAD_LETTERS, List.of(
            new TableSchema.Column("source_topic", DuckType.VARCHAR),
            new TableSchema.Column("source_partition", DuckType.INTEGER),
            new TableSchema.Column("source_offset", DuckType.BIGINT),
            new TableSchema.Column("table", DuckType.VARCHAR),
            new TableSchema.Column("key", DuckType.JSON),
            new TableSchema.Column("row", DuckType.JSON),
            new TableSchema.Column("failures", DuckType.JSON),
            new TableSchema.Column("checks", DuckType.VARCHAR_LIST),
            new TableSchema.Column("source_lsn", DuckType.BIGINT),
            new TableSchema.Column("source_ts", DuckType.TIMESTAMPTZ),
            new TableSchema.Column("detected_at", DuckType.TIMESTAMPTZ),
            new TableSchema.Column("raw_base64", DuckType.VARCHAR),
            new TableSchema.Column("reported_by", DuckType.VARCHAR),
            new TableSchema.Column("dlq_topic", DuckType.VARCHAR),
            new TableSchema.Column("dlq_partition", DuckType.INTEGER),
            new TableSchema.Column("dlq_offset", DuckType.BIGINT),
            // last, so that a file written before they existed gets them by ALTER TABLE ADD COLUMN
            new TableSchema.Column("raw_length", DuckType.BIGINT),
            new TableSchema.Column("raw_sha256", DuckType.VARCHAR)),
            List.of("source_topic", "source_partition", "source_offset"));
}
