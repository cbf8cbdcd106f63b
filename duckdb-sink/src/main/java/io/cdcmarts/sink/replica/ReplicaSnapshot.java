package io.cdcmarts.sink.replica;

import io.cdcmarts.sink.duckdb.Layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;

/**
 * The file work of one replica refresh, in two steps.
 *
 * <p>{@link #copy} copies the sink's file and its write-ahead log as they are: called between two
 * batches, when no transaction of the sink is open, the pair is the committed state at one set of
 * offsets (what a restart after a crash would recover). DuckDB allows no second process on the
 * file and the HTTP API turns off DuckDB's file access ({@code enable_external_access}), so
 * neither another reader nor {@code ATTACH … COPY FROM DATABASE} can take the copy; a plain file
 * copy needs neither and leaves the sink's own checkpoints where they were.
 *
 * <p>{@link #publish} then opens the copy as a database of its own (this replays the copied log),
 * writes {@code _cdc.replica_info}, checkpoints it into one self-contained file and renames it over the
 * replica path atomically. A reader never sees a half-written file, and one that has the old file
 * open keeps reading it (its inode stays until it closes).
 */
public final class ReplicaSnapshot {

    /**
     * The table in the replica that says what it holds. In the sink's {@code _cdc} schema, which the
     * copy already has: a schema named {@code replica} would be ambiguous with the database's own
     * name whenever the file is called {@code replica.duckdb}.
     */
    static final String INFO = "_cdc.replica_info";

    private final Path source;
    private final Path replica;
    private final Path temporary;

    /**
     * @param source  the sink's DuckDB file
     * @param replica where the replica is published
     */
    public ReplicaSnapshot(Path source, Path replica) {
        this.source = source.toAbsolutePath();
        this.replica = replica.toAbsolutePath();
        // Beside the replica, so the rename stays on one file system and is atomic.
        this.temporary = this.replica.resolveSibling("." + this.replica.getFileName() + ".tmp");
    }

    /** The replica's path. */
    Path replica() {
        return replica;
    }

    /**
     * Copies the sink's file and its log (when there is one) to the temporary file. Only while the
     * sink has no transaction open.
     */
    public void copy() throws IOException {
        Files.createDirectories(temporary.getParent());
        removeTemporary();
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Path log = wal(source);
        if (Files.exists(log)) {
            Files.copy(log, wal(temporary), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Replays the copied log, writes {@link #INFO} (when the copy's state was taken and the
     * offsets it reflects, read from the copy itself), checkpoints, and swaps the result in.
     *
     * @return the replica's size in bytes
     */
    public long publish(Instant takenAt) throws IOException, SQLException {
        // A database of its own (another file): one thread, so it leaves the sink its CPU.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + temporary, oneThread())) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + INFO + " (refreshed_at TIMESTAMPTZ NOT NULL, sink_file VARCHAR NOT NULL, "
                        + "offsets STRUCT(topic VARCHAR, \"partition\" INTEGER, next_offset BIGINT)[] NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + INFO + " SELECT ?, ?, "
                    + "coalesce((SELECT list({'topic': topic, 'partition': \"partition\", 'next_offset': next_offset} "
                    + "ORDER BY topic, \"partition\") FROM " + Layout.OFFSETS.sql() + "), [])")) {
                insert.setObject(1, OffsetDateTime.ofInstant(takenAt, ZoneOffset.UTC));
                insert.setString(2, source.toString());
                insert.executeUpdate();
            }
            try (Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
        }
        if (Files.exists(wal(temporary))) {
            throw new IOException("the copy still has a write-ahead log after its checkpoint: " + wal(temporary));
        }
        long bytes = Files.size(temporary);
        Files.move(temporary, replica, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return bytes;
    }

    /** Deletes what a refresh that failed or was cut short left (the replica itself stays). */
    void removeTemporary() throws IOException {
        Files.deleteIfExists(wal(temporary));
        Files.deleteIfExists(temporary);
    }

    private static Path wal(Path file) {
        return file.resolveSibling(file.getFileName() + ".wal");
    }

    private static Properties oneThread() {
        Properties p = new Properties();
        p.setProperty("threads", "1");
        return p;
    }
}
