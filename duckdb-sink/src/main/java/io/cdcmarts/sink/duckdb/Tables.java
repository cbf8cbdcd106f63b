package io.cdcmarts.sink.duckdb;

import java.util.List;
import java.util.Optional;

/**
 * The sink's tables as DuckDB has them: looked up, created and widened from the events' own
 * schemas. The I/O edge between decoding a batch and DuckDB (an in-memory fake serves unit tests).
 */
public interface Tables {

    /** The table's shape, or empty when it does not exist. */
    Optional<TableSchema> find(TableRef table);

    /**
     * Creates the table with {@code columns} and {@code primaryKey}, or adds to an existing one the
     * columns it lacks (at the end, in the given order). Never changes an existing column or key.
     *
     * @return the table's shape now
     */
    TableSchema ensure(TableRef table, List<TableSchema.Column> columns, List<String> primaryKey);

    /**
     * Gives an existing column another type, its values cast ({@code TRY_CAST}: NULL where they do
     * not cast). {@code emptied} says that the batch empties the table (a key column whose values do
     * not all carry over, {@link ColumnTypes}); the rows are deleted by the batch, in its transaction.
     *
     * @return the table's shape now; the old one when DuckDB refuses (a declared key on the column)
     */
    TableSchema retype(TableRef table, String column, DuckType type, boolean emptied);

    /**
     * Drops the table, and its recorded key, in a transaction of its own: it was dropped at the
     * source. A table of that name made afterwards starts anew, with its own columns and key.
     */
    void drop(TableRef table);
}
