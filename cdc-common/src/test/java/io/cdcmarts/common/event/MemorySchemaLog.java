package io.cdcmarts.common.event;

import java.util.ArrayList;
import java.util.List;

/** A schema log in memory that counts how often it is read to its end (test-support's depends on this module). */
final class MemorySchemaLog implements SchemaLog {
    final List<Entry> entries = new ArrayList<>();
    int read;
    int reads;

    @Override
    public List<Entry> readToEnd() {
        reads++;
        List<Entry> out = List.copyOf(entries.subList(read, entries.size()));
        read = entries.size();
        return out;
    }

    @Override
    public String describe() {
        return "the test log";
    }

    @Override
    public void close() {
    }
}
