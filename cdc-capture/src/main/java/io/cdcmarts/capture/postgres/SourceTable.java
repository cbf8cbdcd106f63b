package io.cdcmarts.capture.postgres;

/**
 * A table of the captured schema.
 *
 * @param name                the table name
 * @param hasPrimaryKey       whether it has a primary key (the key of its raw topic)
 * @param hasReplicaIdentity  whether PostgreSQL can log its UPDATEs and DELETEs for a publication: a
 *                            primary key under the default identity, {@code REPLICA IDENTITY FULL}, or
 *                            {@code USING INDEX}. A published table without one makes every UPDATE and
 *                            DELETE on it fail at the source, so capture never publishes it.
 */
public record SourceTable(String name, boolean hasPrimaryKey, boolean hasReplicaIdentity) {
}
