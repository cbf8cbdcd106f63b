package io.cdcmarts.app.status;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where status looks.
 *
 * @param kafka         broker and topic prefix
 * @param pg            the source database, or null to skip the slot
 * @param slot          capture's replication slot
 * @param sinkGroup     the sink's consumer group
 * @param processorId   the processor's Kafka Streams application id (its consumer group)
 * @param captureUrl    capture's HTTP base URL
 * @param processorUrl  the processor's HTTP base URL
 * @param sinkUrl       the sink's HTTP base URL (health, and the query API for the DuckDB facts)
 * @param duckdb        the DuckDB file, read directly when the sink does not answer
 * @param timeout       how long to wait for each server
 */
public record StatusTargets(KafkaSettings kafka, PgDsn pg, String slot, String sinkGroup, String processorId,
                            String captureUrl, String processorUrl, String sinkUrl, Path duckdb, Duration timeout) {
}
