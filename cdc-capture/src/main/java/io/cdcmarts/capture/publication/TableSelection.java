package io.cdcmarts.capture.publication;

import io.cdcmarts.capture.postgres.SourceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tables of the schema capture takes, and so publishes: those with a primary key (the key of
 * their compacted topic), a replica identity, and a name a topic can carry. Every other table stays
 * out of the publication, so PostgreSQL never refuses an UPDATE or DELETE on it because of capture.
 * Each table left out is named in one warning with the fix, once per table and reason.
 */
public final class TableSelection {

    private static final Logger LOG = LoggerFactory.getLogger(TableSelection.class);

    private final String schema;
    private final Set<String> warned = new HashSet<>();
    private Set<String> debeziumExcludes = Set.of();

    /** @param schema the captured schema (for messages) */
    public TableSelection(String schema) {
        this.schema = schema;
    }

    /**
     * The tables the running engine was told to leave out at its start: Debezium's exclude list is
     * fixed for the engine's life, so they are not taken before the next start even once they qualify.
     */
    public synchronized void leftOutOfEngine(Collection<String> tables) {
        debeziumExcludes = Set.copyOf(tables);
    }

    /** The tables to capture, and the ones to leave out. */
    public record Choice(List<String> captured, List<String> excluded) {
    }

    /** Chooses among {@code tables}, warning once for each table left out. */
    public synchronized Choice choose(Collection<SourceTable> tables) {
        List<String> captured = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (SourceTable t : tables) {
            String reason = reasonToLeaveOut(t);
            if (reason == null) {
                captured.add(t.name());
            } else {
                excluded.add(t.name());
                if (warned.add(t.name() + "\n" + reason)) {
                    LOG.warn("Table {}.{} is not captured: {}", schema, t.name(), reason);
                }
            }
        }
        return new Choice(List.copyOf(captured), List.copyOf(excluded));
    }

    private String reasonToLeaveOut(SourceTable t) {
        String table = schema + "." + t.name();
        if (!t.name().matches("[A-Za-z0-9_\\-]+")) {
            return "its name cannot be part of a Kafka topic name";
        }
        if (!t.hasPrimaryKey()) {
            return "it has no primary key (a compacted topic needs a key). It stays out of the publication, so its"
                    + " writes go on as before; to capture it, give it one (ALTER TABLE " + table + " ADD PRIMARY KEY (…))";
        }
        if (!t.hasReplicaIdentity()) {
            return "its REPLICA IDENTITY is NOTHING, and publishing it would make PostgreSQL refuse its UPDATEs and"
                    + " DELETEs. To capture it: ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT";
        }
        if (debeziumExcludes.contains(t.name())) {
            return "it had no primary key when capture started, and the running connector leaves it out;"
                    + " restart capture to capture it";
        }
        return null;
    }
}
