package io.cdcmarts.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that takes a PostgreSQL DSN, given one holding a password — malformed in the ways
 * users get it wrong, or well-formed but pointing where no server listens — fails with a message,
 * and the password is in none of what it printed: its own output, stdout, stderr, or any log line
 * at INFO and above (stack traces included). Kafka is real, so capture and status get as far as
 * PostgreSQL.
 */
class PasswordNeverPrintedIT {

    private static final String SECRET = "hunter2Xq";

    /** Where nothing listens: a well-formed DSN fails at connect, the message quoting the address. */
    private static final String NOWHERE = "127.0.0.1:1";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;

    @BeforeEach
    void listen() {
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO); // what a production run logs, libraries included
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopListening() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    static Stream<Arguments> dsns() {
        return Stream.of(
                // scheme with one slash: not understood
                "postgres:/u:" + SECRET + "@127.0.0.1/db",
                // a port that is not a number
                "postgresql://u:" + SECRET + "@127.0.0.1:notaport/db",
                // a port out of range
                "postgresql://u:" + SECRET + "@127.0.0.1:70000/db",
                // an unencoded @ in the password
                "postgresql://u:" + SECRET + "@x@" + NOWHERE + "/db",
                // no scheme at all
                "u:" + SECRET + "@127.0.0.1/db",
                // the password as a parameter
                "postgresql://" + NOWHERE + "/db?user=u&password=" + SECRET,
                // well-formed, nobody there
                "postgresql://u:" + SECRET + "@" + NOWHERE + "/db",
                "jdbc:postgresql://" + NOWHERE + "/db?password=" + SECRET)
                .flatMap(dsn -> Stream.of("generate", "status", "capture", "local").map(command -> Arguments.of(command, dsn)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dsns")
    void thePasswordIsInNoOutput(String command, String dsn) throws Exception {
        Output output = run(args(command, dsn));

        if (!command.equals("status")) { // status reports an unreachable database in its report, exit 0 or not
            assertThat(output.code()).as("fails").isNotZero();
        }
        assertThat(output.text()).as("says something").isNotBlank();
        assertThat(output.text().lines()).as("no line holds the password").noneMatch(line -> line.contains(SECRET));
    }

    private List<String> args(String command, String dsn) throws IOException {
        String kafka = SharedInfra.get().kafkaBootstrap();
        return switch (command) {
            case "generate" -> List.of("generate", "--dsn", dsn, "--orders", "1");
            case "status" -> List.of("status", "--pg-url", dsn, "--kafka-bootstrap", kafka, "--timeout", "2s",
                    "--duckdb", dir.resolve("none.duckdb").toString(), "--topic-prefix", "pwit");
            case "capture" -> List.of("capture", "--pg-url", dsn, "--kafka-bootstrap", kafka, "--http-port", "-1",
                    "--topic-prefix", "pwit");
            case "local" -> List.of("local", "--pg-url", dsn, "--no-generator", "--data-dir", dir.resolve("data").toString(),
                    "--duckdb", dir.resolve("local.duckdb").toString(), "--kafka-port", Integer.toString(freePort()),
                    "--http-port", "-1", "--drain-timeout", "0", "--topic-prefix", "pwit");
            default -> throw new IllegalArgumentException(command);
        };
    }

    /** Runs the launcher in-process, with stdout and stderr captured besides the command's own writers. */
    private Output run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream system = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        PrintStream capture = new PrintStream(system, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            code = CdcMarts.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        List<String> logLines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            logLines.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                logLines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        logs.list.clear();
        String text = String.join("\n", out.toString(), err.toString(), system.toString(StandardCharsets.UTF_8),
                String.join("\n", logLines));
        oldOut.println(text); // shown in the test report, for whoever reads why a case failed
        return new Output(code, text);
    }

    record Output(int code, String text) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
