package io.cdcmarts.capture.publication;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.capture.postgres.SourceDatabase;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells downstream, in order with the changes, that a captured table was dropped. PostgreSQL's
 * logical decoding says nothing of a {@code DROP TABLE}, and a table created again under the name
 * is the same topic to Kafka: its rows would mix with the old table's. The publication keeper
 * notices a table gone since its last look (absent, or there under a new OID: dropped and created
 * again) and writes a transactional logical decoding message with {@link #MESSAGE_PREFIX}: it is
 * in the WAL after every change of the old table (they committed before the DROP) and before any
 * change of a new one (the keeper publishes that only afterwards), and Debezium hands it over in
 * that place. Capture's Kafka consumer turns it into a marker event on the table's raw topic,
 * which the sink answers by dropping its table.
 *
 * <p>A table renamed ({@code ALTER TABLE … RENAME TO}) is gone under its old name the same way;
 * under its new one it is a new table downstream, which the keeper has sent whole.
 *
 * <p>The content names the publication too: every capture decoding the database sees the
 * message, and only the one whose keeper wrote it may act on it.
 *
 * <p>A table dropped while capture is stopped ({@link TablesWhileStopped}) gets the message at the
 * next start, before the publication takes a table made again under the name: after every change
 * of the old table still in the slot, before any of the new one's.
 */
public final class TableDrops {

    private static final Logger LOG = LoggerFactory.getLogger(TableDrops.class);

    /** The logical decoding message prefix of a dropped table's message. */
    public static final String MESSAGE_PREFIX = "cdc-marts-dropped";

    private TableDrops() {
    }

    /**
     * Writes the message of each table, so downstream drops its copy in that place of the changes;
     * without the right to, one warning per table says that its rows stay there.
     *
     * @param since when the tables went, for the log ("since the last look")
     */
    public static void mark(SourceDatabase database, String publication, List<String> tables, String since) {
        for (String table : tables) {
            try {
                database.emitMessage(MESSAGE_PREFIX, content(publication, table));
                LOG.info("Table {} is gone under this name {} (dropped, dropped and created again, or renamed): downstream drops its copy",
                        table, since);
            } catch (SQLException e) {
                LOG.warn("Table {} was dropped, but capture cannot say so downstream ({}): its rows stay there;"
                        + " grant EXECUTE on pg_logical_emit_message to capture's user", table, Secrets.redact(e.getMessage()));
            }
        }
    }

    /** The captured tables of {@code before} (name to OID) that {@code now} no longer has under the same OID, sorted. */
    public static List<String> gone(Map<String, Long> before, Map<String, Long> now) {
        List<String> out = new ArrayList<>();
        before.forEach((table, oid) -> {
            if (!oid.equals(now.get(table))) {
                out.add(table);
            }
        });
        out.sort(null);
        return List.copyOf(out);
    }

    /**
     * The tables of {@code now} that {@code before} had under another name (same OID: {@code ALTER
     * TABLE … RENAME TO}), sorted. Their old name is {@link #gone}; the new one is a new table downstream.
     */
    public static List<String> renamed(Map<String, Long> before, Map<String, Long> now) {
        Map<Long, String> names = new HashMap<>();
        before.forEach((table, oid) -> names.put(oid, table));
        List<String> out = new ArrayList<>();
        now.forEach((table, oid) -> {
            String old = names.get(oid);
            if (old != null && !old.equals(table)) {
                out.add(table);
            }
        });
        out.sort(null);
        return List.copyOf(out);
    }

    /** The message's content for {@code table} of {@code publication}'s capture. */
    public static String content(String publication, String table) {
        return Json.MAPPER.createObjectNode().put("publication", publication).put("table", table).toString();
    }

    /** The table a message's content names for {@code publication}; empty for another capture's message or other content. */
    public static Optional<String> table(String publication, byte[] content) {
        try {
            JsonNode node = Json.MAPPER.readTree(new String(content, StandardCharsets.UTF_8));
            if (node != null && node.path("publication").asText("").equals(publication) && node.path("table").isTextual()) {
                return Optional.of(node.get("table").textValue());
            }
        } catch (IOException e) {
            // not ours: another tool's message under the prefix
        }
        return Optional.empty();
    }
}
