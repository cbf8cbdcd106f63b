package io.cdcmarts.sink.testing;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A DuckDB reader in a JVM of its own (as a user's client would be): opens the replica read-only
 * again and again until the stop file appears, and writes one line per open to the output file,
 * {@code OK <refreshed_at µs> <rows>} or {@code FAIL <what>}.
 *
 * <p>Each table of the workload gets inserts of ids 0, 1, 2, … only, one partition each, so a
 * replica taken between two batches holds exactly {@code next_offset} rows of each, ids
 * {@code 0 … next_offset - 1}; a half-applied batch, or tables at different moments, would not.
 *
 * <p>Arguments: replica, output file, stop file, the tables' names in {@code raw} (their topics are
 * {@code <prefix>.raw.<table>}), the prefix.
 */
public final class ReplicaReader {

    private ReplicaReader() {
    }

    public static void main(String[] args) throws Exception {
        Path replica = Path.of(args[0]);
        Path stop = Path.of(args[2]);
        String prefix = args[args.length - 1];
        Properties readOnly = new Properties();
        readOnly.setProperty("access_mode", "READ_ONLY");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])), true)) {
            while (!Files.exists(stop)) {
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + replica.toAbsolutePath(), readOnly)) {
                    out.println(check(c, prefix, args));
                } catch (SQLException | RuntimeException e) {
                    out.println("FAIL " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }

    private static String check(Connection c, String prefix, String[] args) throws SQLException {
        try (Statement st = c.createStatement()) {
            long refreshedAt;
            String infoOffsets;
            try (ResultSet rs = st.executeQuery("SELECT epoch_us(refreshed_at), "
                    + "(SELECT string_agg(o.topic || ':' || o.\"partition\" || '=' || o.next_offset, ',' ORDER BY o.topic) "
                    + "FROM (SELECT unnest(offsets, recursive := true)) o) FROM _cdc.replica_info")) {
                if (!rs.next()) {
                    return "FAIL _cdc.replica_info is empty";
                }
                refreshedAt = rs.getLong(1);
                infoOffsets = rs.getString(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT string_agg(topic || ':' || \"partition\" || '=' || next_offset, ',' ORDER BY topic) "
                    + "FROM _cdc.offsets")) {
                rs.next();
                if (!String.valueOf(rs.getString(1)).equals(String.valueOf(infoOffsets))) {
                    return "FAIL _cdc.replica_info offsets " + infoOffsets + " but _cdc.offsets " + rs.getString(1);
                }
            }
            long rows = 0;
            for (int i = 3; i < args.length - 1; i++) {
                String table = args[i];
                long next = 0;
                try (ResultSet rs = st.executeQuery("SELECT coalesce(max(next_offset), 0) FROM _cdc.offsets WHERE topic = '"
                        + prefix + ".raw." + table + "'")) {
                    rs.next();
                    next = rs.getLong(1);
                }
                boolean exists;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = '" + table + "'")) {
                    rs.next();
                    exists = rs.getLong(1) == 1;
                }
                long count = 0;
                long max = -1;
                if (exists) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(max(id), -1) FROM raw." + table)) {
                        rs.next();
                        count = rs.getLong(1);
                        max = rs.getLong(2);
                    }
                }
                if (count != next || max != next - 1) {
                    return "FAIL raw." + table + " holds " + count + " rows up to id " + max + " at next_offset " + next;
                }
                rows += count;
            }
            return "OK " + refreshedAt + " " + rows;
        }
    }
}
