package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every long-running service pointed at a port where no broker listens exits 1 after
 * {@code --kafka-timeout}, with one line that names the address and the options, instead of
 * running on with its clients retrying (and {@code /health} UP). PostgreSQL is real for capture,
 * so the one thing missing is Kafka.
 */
class UnreachableBrokerIT {

    /** Nothing listens on port 1 of the loopback interface: connections are refused. */
    private static final String NO_BROKER = "127.0.0.1:1";

    @TempDir
    Path dir;

    @Test
    void sinkExitsOneNamingTheBroker() {
        Path file = dir.resolve("sink.duckdb");

        CliRun sink = cli("sink", "--kafka-bootstrap", NO_BROKER, "--kafka-timeout", "2s", "--duckdb", file.toString(),
                "--http-port", "-1");

        assertNamesTheBroker(sink, "sink");
        assertThat(file).as("nothing to write: the file is not even opened").doesNotExist();
    }

    @Test
    void processorExitsOneNamingTheBroker() {
        CliRun process = cli("process", "--kafka-bootstrap", NO_BROKER, "--kafka-timeout", "2s",
                "--state-dir", dir.resolve("state").toString(), "--http-port", "-1");

        assertNamesTheBroker(process, "process");
    }

    @Test
    void captureExitsOneNamingTheBroker() {
        PgDsn db = SharedInfra.get().newDatabase("unreachable_broker_it");

        CliRun capture = cli("capture", "--pg-url", db.toUrlWithPassword(), "--kafka-bootstrap", NO_BROKER,
                "--kafka-timeout", "2s", "--http-port", "-1", "--topic-prefix", "unreachableit");

        assertNamesTheBroker(capture, "capture");
    }

    private static void assertNamesTheBroker(CliRun run, String command) {
        assertThat(run.code()).isEqualTo(1);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).as("one line, no stack trace").hasSize(1);
        assertThat(lines.get(0)).startsWith("cdc-marts " + command + " failed: cannot reach Kafka at " + NO_BROKER + " within 2s")
                .contains("--kafka-bootstrap", "--kafka-timeout");
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }
}
