package io.cdcmarts.testing;

import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.common.event.SchemaLog;

import java.util.ArrayList;
import java.util.List;

/**
 * A schema log held in memory, for tests that read lean raw messages without a broker (a
 * MockProducer's history, a TopologyTestDriver) or that read the schema topic themselves. Each
 * {@link #readToEnd()} hands over what was added since the last one, as the Kafka log does.
 */
public final class InMemorySchemaLog implements SchemaLog {

    private final List<Entry> entries = new ArrayList<>();
    private int read;
    private int reads;

    /** Adds an entry as capture writes it: keyed by its schema's id. Returns the id. */
    public synchronized String add(byte[] schemaJson) {
        String id = SchemaIds.of(schemaJson);
        entries.add(new Entry(id, schemaJson));
        return id;
    }

    /** Adds an entry as it is, whatever its key. */
    public synchronized void add(String id, byte[] schemaJson) {
        entries.add(new Entry(id, schemaJson));
    }

    /** How many times it was read to its end. */
    public synchronized int reads() {
        return reads;
    }

    @Override
    public synchronized List<Entry> readToEnd() {
        reads++;
        List<Entry> out = List.copyOf(entries.subList(read, entries.size()));
        read = entries.size();
        return out;
    }

    @Override
    public String describe() {
        return "an in-memory schema log";
    }

    @Override
    public void close() {
    }
}
