package io.cdcmarts.app;

import io.cdcmarts.app.bench.BenchCommand;
import io.cdcmarts.app.status.StatusCommand;
import io.cdcmarts.capture.CaptureCommand;
import io.cdcmarts.common.BuildInfo;
import io.cdcmarts.common.Secrets;
import io.cdcmarts.generator.GenerateCommand;
import io.cdcmarts.processor.ProcessCommand;
import io.cdcmarts.processor.ReprocessCommand;
import io.cdcmarts.sink.SinkCommand;
import io.cdcmarts.sink.dlq.DlqCommand;
import io.cdcmarts.sink.rebuild.RebuildCommand;
import io.cdcmarts.sink.http.QueryCommand;
import io.cdcmarts.sink.verify.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Optional;

/**
 * The launcher: one command with a subcommand per operation. Only wiring lives here; every
 * command's logic is in its module.
 */
@Command(name = "cdc-marts", mixinStandardHelpOptions = true, versionProvider = CdcMarts.Version.class,
        description = "Change data capture from PostgreSQL to DuckDB raw, staging and mart layers through Kafka.",
        subcommands = {
                LocalCommand.class,
                GenerateCommand.class,
                CaptureCommand.class,
                ProcessCommand.class,
                ReprocessCommand.class,
                SinkCommand.class,
                VerifyCommand.class,
                StatusCommand.class,
                RebuildCommand.class,
                DlqCommand.class,
                QueryCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class CdcMarts implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Optional<String> duckDb = DuckDbLibrary.problem();
        if (duckDb.isPresent()) {
            System.err.println("cdc-marts: " + duckDb.get());
            System.exit(1);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new CdcMarts())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(CdcMarts::handleFailure);
    }

    /**
     * A bad option or an unreachable server is a one-line message and exit code 2 or 1, not a
     * stack trace; passwords are redacted from whatever the message quotes.
     */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message = Secrets.redact(String.valueOf(e.getMessage()));
        if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("cdc-marts " + cmd.getCommandName() + ": " + message);
            cmd.getErr().println("Try 'cdc-marts " + cmd.getCommandName() + " --help'.");
            return 2;
        }
        cmd.getErr().println("cdc-marts " + cmd.getCommandName() + " failed: " + message);
        Throwable cause = e.getCause();
        while (cause != null) {
            cmd.getErr().println("  caused by: " + Secrets.redact(String.valueOf(cause.getMessage())));
            cause = cause.getCause();
        }
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code --version}: the build's version and git commit ({@link BuildInfo}), the same as every {@code /health} reports. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().describe("cdc-marts")};
        }
    }
}
