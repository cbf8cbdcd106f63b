package io.cdcmarts.common.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schemas lean raw messages name by id ({@link SchemaIds#HEADER}), as {@link SchemaLog} holds
 * them. Capture writes a schema to the log before the first message that names it, so an id not
 * known yet is looked for by reading the log up to its end once, and only an id still unknown then
 * makes its message unreadable (a dead letter, never a stop): a schema change at the source is
 * picked up by the next message that names the new id, without a restart.
 *
 * <p>Thread-safe: the processor's stream threads share one. Finding a known id never locks; the
 * log is read by one thread at a time. An entry whose key is not the id of its schema bytes, or
 * whose value is not a schema, is skipped with a warning (nothing names a schema by a wrong id).
 */
public final class SchemaDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaDirectory.class);

    /** A directory for readers that have no schema log: a lean message is unreadable to them. */
    public static final SchemaDirectory NONE = new SchemaDirectory(null);

    private final SchemaLog log;
    private final Map<String, EnvelopeSchema> known = new ConcurrentHashMap<>();

    /** @param log where the schemas are (closed with this), or null for none */
    public SchemaDirectory(SchemaLog log) {
        this.log = log;
    }

    /** How many schemas it knows (read from the log so far). */
    public int size() {
        return known.size();
    }

    /**
     * The schema named {@code id}, reading the log to its end first when it is not known yet.
     *
     * @throws MalformedEventException when the log does not have it, or cannot be read
     */
    EnvelopeSchema schema(String id) {
        EnvelopeSchema schema = known.get(id);
        return schema != null ? schema : lookUp(id);
    }

    private synchronized EnvelopeSchema lookUp(String id) {
        EnvelopeSchema schema = known.get(id);
        if (schema != null) {
            return schema; // another thread read it meanwhile
        }
        if (log == null) {
            throw new MalformedEventException("the message names schema " + id + " (header " + SchemaIds.HEADER
                    + "), but this reader has no schema topic to find it in");
        }
        List<SchemaLog.Entry> entries;
        try {
            entries = log.readToEnd();
        } catch (SchemaLog.SchemaLogException e) {
            throw new MalformedEventException("schema " + id + " could not be looked up: " + e.getMessage(), e);
        }
        entries.forEach(this::add);
        schema = known.get(id);
        if (schema == null) {
            throw new MalformedEventException("schema " + id + " (header " + SchemaIds.HEADER + ") is not in "
                    + log.describe() + ", read to its end");
        }
        return schema;
    }

    private void add(SchemaLog.Entry entry) {
        if (entry.id() == null || entry.schema() == null || known.containsKey(entry.id())) {
            return;
        }
        if (!entry.id().equals(SchemaIds.of(entry.schema()))) {
            LOG.warn("Skipped schema entry {} of {}: its key is not the id of its value", entry.id(), log.describe());
            return;
        }
        try {
            known.put(entry.id(), EnvelopeSchema.parse(entry.schema()));
        } catch (IOException e) {
            LOG.warn("Skipped schema entry {} of {}: its value is not JSON ({})", entry.id(), log.describe(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
