package io.cdcmarts.capture.postgres;

/**
 * A table of the captured schema.
 *
 * @param name          the table name
 * @param hasPrimaryKey whether it has a primary key (the key of its raw topic)
 */
public record SourceTable(String name, boolean hasPrimaryKey) {
}
