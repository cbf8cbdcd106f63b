package io.cdcmarts.sink.dlq;

import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.UntilStopped;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts dlq}: dead letters straight from the {@code <prefix>.dlq.<table>} topics, so it
 * works while the sink is down: counts by table and check, the latest records in readable form,
 * and with {@code --follow} every new one until Ctrl-C.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters from the <prefix>.dlq.<table> topics (works without the sink): counts by table and "
                + "check, the latest records, --follow for new ones.")
public class DlqCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--table", paramLabel = "TABLE", split = ",", defaultValue = "${env:CDC_DLQ_TABLES:-}",
            description = "Only these tables (repeatable or comma-separated; env CDC_DLQ_TABLES).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--check", paramLabel = "CHECK", split = ",", defaultValue = "${env:CDC_DLQ_CHECKS:-}",
            description = "Only records that failed one of these checks, e.g. not_null, pattern, malformed "
                    + "(repeatable or comma-separated; env CDC_DLQ_CHECKS).")
    List<String> checks = new ArrayList<>();

    @Option(names = "--since", paramLabel = "WHEN", defaultValue = "${env:CDC_DLQ_SINCE:-}",
            description = "Only records written since an ISO instant (2026-01-01T10:00:00Z) or a duration back from now "
                    + "(30m, 1h, 2d); compared with the records' Kafka timestamps (env CDC_DLQ_SINCE; default: the beginning).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "${env:CDC_DLQ_LIMIT:-20}",
            description = "How many of the latest records to print (env CDC_DLQ_LIMIT; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--follow", defaultValue = "${env:CDC_DLQ_FOLLOW:-false}",
            description = "Then keep printing new dead letters until Ctrl-C (env CDC_DLQ_FOLLOW).")
    boolean follow;

    @Option(names = "--json", defaultValue = "${env:CDC_DLQ_JSON:-false}",
            description = "One JSON object per line (counts first, then the records), for machines (env CDC_DLQ_JSON).")
    boolean json;


    private volatile DlqReader running;
    private volatile boolean stopRequested;

    @Override
    public Integer call() throws Exception {
        DlqFilter filter = new DlqFilter(DlqFilter.names(tables), DlqFilter.names(checks),
                DlqFilter.parseSince(since, Clock.systemUTC()));
        DlqSummary summary = new DlqSummary(limit);
        KafkaSettings settings = kafka.settings();
        Duration timeout = settings.timeout();
        PrintWriter out = spec.commandLine().getOut();
        DlqPrinter printer = new DlqPrinter(out, json);
        return UntilStopped.run("dlq", this::stop, () -> {
            try (DlqReader reader = new DlqReader(settings, filter, timeout)) {
                running = reader;
                if (stopRequested) {
                    reader.stop();
                }
                reader.readToEnd(summary::add);
                printer.summary(summary, filter, reader.topics().size());
                if (follow) {
                    if (!json) {
                        out.printf("%nFollowing new dead letters (Ctrl-C to stop) ...%n");
                        out.flush();
                    }
                    reader.follow(printer::record);
                }
                return 0;
            } finally {
                running = null;
            }
        });
    }

    /** Stops a running {@link #call()} (what Ctrl-C does); it returns once the consumer is closed. */
    public void stop() {
        stopRequested = true;
        DlqReader r = running;
        if (r != null) {
            r.stop();
        }
    }
}
