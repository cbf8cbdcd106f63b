package io.cdcmarts.capture.position;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.postgres.SourceDatabase.ReplicationSlot;

import java.util.Optional;

/**
 * What capture finds at start about its replication slot and its stored position, before Debezium
 * runs (whose own error for these cases is a wall of stack frames naming neither the slot nor a fix):
 *
 * <ul>
 *   <li>the slot belongs to another database of the server (slot names are per server): fatal, the
 *       message names that database and {@code --slot};</li>
 *   <li>a position is stored but the slot is gone (a recreated database, a dropped slot, a replaced
 *       server), or the slot no longer keeps the WAL at that position (a slot made again after the
 *       offset was stored): the position is lost; {@link #lost()} says so in one line, with what it
 *       means for DuckDB and the fix;</li>
 *   <li>otherwise capture resumes, or starts for the first time.</li>
 * </ul>
 * The second rule is Debezium's own ({@code restart_lsn} past the stored LSN), so the two agree.
 */
public final class SlotCheck {

    private final String lost;

    private SlotCheck(String lost) {
        this.lost = lost;
    }

    /**
     * @param where    the source as messages name it (host:port, database 'db')
     * @param database the database capture reads
     * @throws CaptureException when the slot belongs to another database
     */
    public static SlotCheck of(CaptureConfig config, String where, String database, Optional<ReplicationSlot> slot,
                               Optional<StoredOffset> stored) {
        if (slot.isPresent() && !database.equals(slot.get().database())) {
            throw new CaptureException("replication slot '" + config.slot() + "' already exists on PostgreSQL at "
                    + where + " but belongs to database '" + slot.get().database() + "' (slot names are unique per server,"
                    + " not per database): give this capture a slot of its own with --slot (env CDC_CAPTURE_SLOT), e.g. --slot "
                    + CaptureConfig.defaultName(config.kafka().topics().prefix() + "_" + database)
                    + ", or another --topic-prefix (the default slot is cdc_marts_<prefix>)");
        }
        if (stored.isEmpty()) {
            return new SlotCheck(null);
        }
        StoredOffset at = stored.get();
        String state;
        if (slot.isEmpty()) {
            state = "is gone from PostgreSQL at " + where;
        } else if (slot.get().restartLsn() >= 0 && slot.get().restartLsn() > at.lsn()) {
            state = "on PostgreSQL at " + where + " keeps WAL only from LSN "
                    + new StoredOffset(slot.get().restartLsn(), at.where()).lsnText();
        } else {
            return new SlotCheck(null);
        }
        return new SlotCheck("capture cannot resume: replication slot '" + config.slot() + "' " + state
                + ", but capture's offset in " + at.where() + " is at LSN " + at.lsnText()
                + " (the database was recreated, the slot dropped or the server replaced), so the changes since then"
                + " cannot be read. DuckDB keeps what it has, as of that LSN. To start over: run again with"
                + " --on-missing-slot=resnapshot (a new snapshot of every table into the same topics; the sink"
                + " overwrites rows by key, but rows deleted at the source meanwhile stay in DuckDB), or, for an exact"
                + " copy, stop everything and start on empty topics and DuckDB (a fresh --data-dir for local;"
                + " a new --topic-prefix and --duckdb for separate services)");
    }

    /** The one-line explanation when the stored position is lost, or empty when capture can resume. */
    public Optional<String> lost() {
        return Optional.ofNullable(lost);
    }
}
