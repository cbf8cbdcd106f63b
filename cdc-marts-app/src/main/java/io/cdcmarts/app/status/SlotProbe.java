package io.cdcmarts.app.status;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.Secrets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the lag of capture's replication slot from {@code pg_replication_slots}. */
final class SlotProbe {

    private static final String SQL = """
            SELECT active,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
              FROM pg_replication_slots
             WHERE slot_name = ?""";

    private SlotProbe() {
    }

    static SlotLag read(PgDsn dsn, String slot) {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties());
             PreparedStatement st = c.prepareStatement(SQL)) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return SlotLag.missing(slot);
                }
                return new SlotLag(slot, true, rs.getBoolean(1), nullableLong(rs, 2), nullableLong(rs, 3), null);
            }
        } catch (SQLException e) {
            return SlotLag.failed(slot, "PostgreSQL at " + dsn.host() + ":" + dsn.port() + "/" + dsn.database()
                    + ": " + Secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
