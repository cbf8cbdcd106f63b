package io.cdcmarts.app.status;

/**
 * The replication slot capture reads, as PostgreSQL sees it.
 *
 * @param slot          slot name
 * @param found         whether the slot exists (it does once capture has started)
 * @param active        whether a client (capture) is streaming from it now
 * @param lagBytes      WAL written but not yet confirmed by capture: {@code pg_current_wal_lsn() - confirmed_flush_lsn}
 * @param retainedBytes WAL the server keeps for the slot: {@code pg_current_wal_lsn() - restart_lsn}
 * @param error         why the slot could not be read, or null
 */
public record SlotLag(String slot, boolean found, boolean active, Long lagBytes, Long retainedBytes, String error) {

    static SlotLag missing(String slot) {
        return new SlotLag(slot, false, false, null, null, null);
    }

    static SlotLag failed(String slot, String error) {
        return new SlotLag(slot, false, false, null, null, error);
    }
}
