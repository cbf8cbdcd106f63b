package io.cdcmarts.common.event;

import java.io.IOException;
import java.util.Arrays;

/**
 * The message schemas read so far, found again by their exact bytes. A schema is found by comparing
 * a message's bytes with the known schemas' bytes where the schema starts (a vectorised compare,
 * far cheaper than tokenizing it, or even hashing it), the last one found first: a topic's messages
 * come in runs of one schema. Bytes equal to a schema once parsed are that schema, whatever follows
 * them, since a JSON object ends where its bytes say.
 *
 * <p>A schema change (a column added at the source) is just a schema not seen yet: it is parsed and
 * added. The cache holds at most {@code capacity} schemas, dropping the oldest (a source that keeps
 * changing costs a parse per message, never memory). Thread-safe: the processor's stream threads
 * share one; finding never locks.
 */
final class SchemaCache {

    /** More schemas than the tables of a deployment times a few versions each. */
    static final int CAPACITY = 256;

    /** The cache of every reader of this process: schemas are pure data, the same for all. */
    static final SchemaCache SHARED = new SchemaCache(CAPACITY);

    private final int capacity;
    private volatile EnvelopeSchema[] schemas = new EnvelopeSchema[0];
    // Read and written without locking: a stale value only costs a compare that fails.
    private volatile EnvelopeSchema lastFound;

    SchemaCache(int capacity) {
        this.capacity = capacity;
    }

    /** The known schema whose bytes {@code message} holds from {@code from} on, or null. */
    EnvelopeSchema find(byte[] message, int from) {
        EnvelopeSchema last = lastFound;
        if (last != null && last.isAt(message, from)) {
            return last;
        }
        for (EnvelopeSchema s : schemas) {
            if (s != last && s.isAt(message, from)) {
                lastFound = s;
                return s;
            }
        }
        return null;
    }

    /**
     * The schema object at {@code [from, to)} of {@code message} (well-formed JSON): the known one
     * with these bytes, or a new one, parsed and kept.
     */
    EnvelopeSchema get(byte[] message, int from, int to) throws IOException {
        EnvelopeSchema known = find(message, from);
        if (known != null && known.length() == to - from) {
            return known;
        }
        return add(EnvelopeSchema.parse(Arrays.copyOfRange(message, from, to)), message, from);
    }

    int size() {
        return schemas.length;
    }

    private synchronized EnvelopeSchema add(EnvelopeSchema parsed, byte[] message, int from) {
        EnvelopeSchema[] now = schemas;
        for (EnvelopeSchema s : now) {
            if (s.length() == parsed.length() && s.isAt(message, from)) {
                return s; // another thread added it meanwhile: keep one instance per schema
            }
        }
        int keep = Math.min(now.length, capacity - 1);
        EnvelopeSchema[] next = new EnvelopeSchema[keep + 1];
        System.arraycopy(now, now.length - keep, next, 0, keep);
        next[keep] = parsed;
        schemas = next;
        lastFound = parsed;
        return parsed;
    }
}
