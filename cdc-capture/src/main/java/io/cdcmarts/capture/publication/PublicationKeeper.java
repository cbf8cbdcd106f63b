package io.cdcmarts.capture.publication;

import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.postgres.SourceColumn;
import io.cdcmarts.capture.postgres.SourceDatabase;
import io.cdcmarts.capture.signal.SignalTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the publication of a whole-schema capture equal to the tables {@link TableSelection} takes,
 * while capture runs: a table created (or given a key) later is published within one refresh
 * interval, and one that lost its key or replica identity is taken out before its next UPDATE fails.
 *
 * <p>A table's changes reach the slot only from the moment it is published. So that the rows
 * written before are not lost, the keeper asks Debezium for an incremental snapshot of each newly
 * published table through the signal table (a blocking one: streaming pauses while the new tables
 * are read, and goes on from where it paused, so an event may repeat but none is lost); without a
 * signal table, it says in a warning that those rows are missing. It does the same for a table whose
 * existing rows changed without any change in the WAL ({@link ColumnChanges}: a column added with a
 * default, a column's type changed, a column renamed).
 */
public final class PublicationKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationKeeper.class);

    private final Supplier<SourceDatabase> connect;
    private final String publication;
    private final int majorVersion;
    private final SignalTable signal;
    private final TableSelection selection;
    private final ScheduledExecutorService timer;
    private SourceDatabase database;
    /** The columns of every table at the last look, to tell what changed since. */
    private Map<String, List<SourceColumn>> knownColumns;
    /** The OID of every captured table at the last look, to tell one dropped since ({@link TableDrops}). */
    private Map<String, Long> knownTables;

    /**
     * @param connect      opens the keeper's own catalog connection (the engine's is not shared)
     * @param signal       the signal table, or null when capture runs without one
     */
    public PublicationKeeper(Supplier<SourceDatabase> connect, String publication, int majorVersion,
                             SignalTable signal, TableSelection selection) {
        this.connect = connect;
        this.publication = publication;
        this.majorVersion = majorVersion;
        this.signal = signal;
        this.selection = selection;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-capture-publication");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the columns as they are now, then refreshes every {@code interval}. */
    public void start(Duration interval) {
        synchronized (this) {
            knownColumns = database().columns();
            knownTables = captured(database().tableIds(), selection.choose(database().tables()).captured());
        }
        timer.scheduleWithFixedDelay(this::refreshQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes what qualifies now and unpublishes what no longer does; asks for a snapshot of
     * each newly published table.
     *
     * @return the tables published by this call
     */
    public synchronized List<String> refresh() {
        TableSelection.Choice choice = selection.choose(database().tables());
        Map<String, Long> all = database().tableIds();
        List<String> renamed = List.of();
        if (knownTables != null) {
            // Against every table, not the captured ones: a table that lost its key is still there.
            // Before the publication takes a table created again under the name: its rows come after the message.
            TableDrops.mark(database(), publication, TableDrops.gone(knownTables, all), "since the last look");
            renamed = TableDrops.renamed(knownTables, captured(all, choice.captured()));
        }
        knownTables = captured(all, choice.captured());
        List<String> added = database().ensurePublication(publication, choice.captured(), majorVersion, signal);
        // A table renamed (ALTER TABLE … RENAME TO) stays published under its new name, which is a
        // new topic downstream: its rows untouched since arrive only if it is sent whole.
        List<String> whole = new ArrayList<>(added);
        renamed.stream().filter(t -> !whole.contains(t)).forEach(whole::add);
        if (!whole.isEmpty()) {
            snapshot(whole);
        }
        resendForChangedColumns(choice.captured(), whole);
        return added;
    }

    /**
     * DDL that changes existing rows without a change in the WAL for any of them: a column added
     * with a default ({@code ADD COLUMN answer int DEFAULT 42}) holds it in every existing row, an
     * {@code ALTER COLUMN … TYPE} rewrote every value, a {@code RENAME COLUMN} moved them under
     * another name; downstream they would stay as they were until touched. The keeper has those
     * tables sent again (a blocking snapshot: it reads the table's new structure, which an
     * incremental one would not before the next streamed change).
     */
    private void resendForChangedColumns(List<String> captured, List<String> justAdded) {
        Map<String, List<SourceColumn>> now = database().columns();
        Map<String, List<SourceColumn>> before = knownColumns;
        knownColumns = now;
        if (before == null) {
            return;
        }
        List<String> resend = new ArrayList<>();
        for (String table : captured) {
            List<SourceColumn> old = before.get(table);
            if (old == null || justAdded.contains(table)) {
                continue; // new to the keeper: snapshotted whole anyway
            }
            ColumnChanges changes = ColumnChanges.between(old, now.getOrDefault(table, List.of()));
            if (changes.resend()) {
                LOG.info("Table {} changed its existing rows without a logged change: {}{}{}", table,
                        changes.filled().isEmpty() ? "" : "column(s) added with a value " + changes.filled() + " ",
                        changes.retyped().isEmpty() ? "" : "type(s) changed " + changes.retyped() + " ",
                        changes.renamed().isEmpty() ? "" : "renamed " + changes.renamed());
                resend.add(table);
            }
        }
        if (!resend.isEmpty()) {
            sendAgain(resend, "Sending every row of {} again for the changed column(s) (signal {})",
                    "Rows of {} not changed since stay as they were downstream: a column was added with a default, changed its type or was renamed");
        }
    }

    /** The OIDs of the captured tables among {@code ids}. */
    private static Map<String, Long> captured(Map<String, Long> ids, List<String> captured) {
        Map<String, Long> out = new HashMap<>(ids);
        out.keySet().retainAll(captured);
        return out;
    }

    /** Asks for a snapshot of tables published late, or says that their earlier rows are missing. */
    public synchronized void snapshot(List<String> added) {
        sendAgain(added, "Published {}; asked for a snapshot of their rows so far (signal {})",
                "Published {} now: rows written to them before are not captured");
    }

    /**
     * A blocking snapshot of {@code tables} through the signal table, or a warning that says what
     * is missing without one. Blocking, not incremental: Debezium may not have seen these tables, or
     * their new columns, yet (see {@link SignalTable#requestBlockingSnapshot}).
     */
    private void sendAgain(List<String> tables, String done, String missing) {
        if (signal == null) {
            LOG.warn(missing + " (no signal table to snapshot them; see --signal-table)", tables);
            return;
        }
        String id = database().requestSnapshot(signal, tables, true);
        LOG.info(done, tables, id);
    }

    private SourceDatabase database() {
        if (database == null) {
            database = connect.get();
        }
        return database;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (CaptureException e) {
            // the next round reconnects: a catalog hiccup must not stop the changes that do flow
            LOG.warn("Cannot bring publication {} up to date: {}", publication, e.getMessage());
            closeDatabase();
        } catch (RuntimeException e) {
            LOG.error("Refreshing publication {} failed", publication, e);
            closeDatabase();
        }
    }

    private synchronized void closeDatabase() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeDatabase();
    }
}
