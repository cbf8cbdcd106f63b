package io.cdcmarts.processor.raw;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The current version of one source row, as the raw topic last described it: the after image
 * (with unavailable TOASTed values filled in from the previous version) and where it came from.
 *
 * @param values     the after image
 * @param lsn        the source log position of the change, or -1
 * @param sourceTsMs the commit time at the source, epoch millis (0 when unknown)
 * @param partition  the raw topic partition of the change event
 * @param offset     its offset
 */
public record RawRow(ObjectNode values, long lsn, long sourceTsMs, int partition, long offset) {
}
