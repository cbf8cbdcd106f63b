package io.cdcmarts.capture;

import io.cdcmarts.capture.generated.TableShape;
import io.cdcmarts.capture.postgres.SourceDatabase;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code cdc-marts capture resnapshot TABLE…}: asks the running capture for an incremental
 * snapshot of some tables (Debezium's {@code execute-snapshot} signal, inserted into capture's
 * signal table). Capture then sends every row of them again as a read event, in primary-key
 * chunks, while it keeps streaming; consumers take the rows as upserts. For a table added to
 * {@code --tables} later, or one whose copy downstream must be refreshed. A table with a stored
 * generated column takes a blocking snapshot instead (streaming pauses while it is read): Debezium
 * 3.6's incremental snapshot cannot read one (debezium/dbz#2020).
 */
@Command(name = "resnapshot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Asks the running capture to snapshot these tables again, without stopping streaming:",
                "their rows are sent again to <prefix>.raw.<table> as read events (op r), in primary-key chunks."},
        exitCodeOnExecutionException = 1)
public final class ResnapshotCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pg-url", paramLabel = "DSN", defaultValue = "${env:CDC_PG_URL}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "The captured PostgreSQL, as given to capture (env CDC_PG_URL).")
    String pgUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:CDC_TOPIC_PREFIX:-shop}",
            description = "Capture's topic prefix, which names its default signal table (env CDC_TOPIC_PREFIX; default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "${env:CDC_CAPTURE_SCHEMA:-public}",
            description = "Capture's schema (env CDC_CAPTURE_SCHEMA; default ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--signal-table", paramLabel = "SCHEMA.TABLE", defaultValue = "${env:CDC_CAPTURE_SIGNAL_TABLE}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Capture's signal table (env CDC_CAPTURE_SIGNAL_TABLE; default cdc_marts.signal_<prefix>).")
    String signalTable;

    @Parameters(paramLabel = "TABLE", arity = "1..*", description = "Tables of --schema to snapshot again.")
    List<String> tables = new ArrayList<>();

    @Override
    public Integer call() {
        if (pgUrl == null || pgUrl.isBlank()) {
            throw new IllegalArgumentException("--pg-url (or CDC_PG_URL) is required");
        }
        PgDsn dsn;
        try {
            dsn = PgDsn.parse(pgUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pg-url: " + e.getMessage(), e);
        }
        String prefix = new TopicNames(topicPrefix).prefix();
        SignalTable signal = SignalTable.parse(signalTable, prefix);
        if (signal == null) {
            throw new IllegalArgumentException("--signal-table " + SignalTable.NONE
                    + ": capture has no signal table, so it cannot be asked for a snapshot");
        }
        List<String> names = tables.stream().map(String::trim).filter(t -> !t.isEmpty()).distinct().toList();
        try (SourceDatabase database = SourceDatabase.connect(dsn, schema)) {
            // Debezium 3.6's incremental snapshot fails on a table with a stored generated column
            // (debezium/dbz#2020) and skips it with a warning: such tables take a blocking one.
            Set<String> generated = database.shapes(names).values().stream()
                    .filter(TableShape::hasGeneratedColumns).map(TableShape::table).collect(Collectors.toSet());
            List<String> incremental = names.stream().filter(t -> !generated.contains(t)).toList();
            List<String> blocking = names.stream().filter(generated::contains).toList();
            PrintWriter out = spec.commandLine().getOut();
            if (!incremental.isEmpty()) {
                String id = database.requestSnapshot(signal, incremental);
                out.printf("Asked capture for an incremental snapshot of %s (signal %s in %s);"
                        + " the rows follow on %s.raw.<table> while streaming goes on%n", incremental, id, signal.qualified(), prefix);
            }
            if (!blocking.isEmpty()) {
                String id = database.requestSnapshot(signal, blocking, true);
                out.printf("Asked capture for a blocking snapshot of %s (signal %s in %s): they have stored generated"
                        + " columns, which Debezium's incremental snapshots cannot read (debezium/dbz#2020), so streaming"
                        + " pauses while their rows are sent to %s.raw.<table>%n", blocking, id, signal.qualified(), prefix);
            }
            out.flush();
        }
        return 0;
    }
}
