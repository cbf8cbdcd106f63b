package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GeneratorConfigTest {

    private static final String DSN = "postgresql://shop:s3cr3t-pw@localhost:5432/shop";

    @Test
    void defaultsAreTheTutorials() {
        GeneratorConfig config = parse("--dsn", DSN);

        assertThat(config.customers()).isEqualTo(100);
        assertThat(config.products()).isEqualTo(50);
        assertThat(config.orders()).isEqualTo(500);
        assertThat(config.maxItemsPerOrder()).isEqualTo(5);
        assertThat(config.chaosPercent()).isZero();
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.rate()).isEqualTo(20);
        assertThat(config.createSchema()).isFalse();
        assertThat(config.stream()).isFalse();
        assertThat(config.maxEvents()).isEmpty();
        assertThat(config.duration()).isEmpty();
        assertThat(config.dsn().database()).isEqualTo("shop");
    }

    @Test
    void defaultWindowIsYesterdayMidnightToTodaysLastSecondInUtc() {
        Clock clock = Clock.fixed(Instant.parse("2025-10-15T13:45:00Z"), ZoneOffset.UTC);

        assertThat(GeneratorConfig.defaultStartingAt(clock)).isEqualTo(Instant.parse("2025-10-14T00:00:00Z"));
        assertThat(GeneratorConfig.defaultEndingAt(clock)).isEqualTo(Instant.parse("2025-10-15T23:59:59Z"));
    }

    @Test
    void everyOptionIsRead() {
        GeneratorConfig config = parse("--dsn", DSN, "--customers", "7", "--products", "8", "--orders", "9",
                "--max-items-per-order", "2", "--chaos-percent", "12.5", "--starting-at", "2024-01-01",
                "--ending-at", "2024-06-30", "--seed", "-5", "--create-schema", "--stream", "--rate", "0.5",
                "--max-events", "300", "--duration", "60");

        assertThat(config.customers()).isEqualTo(7);
        assertThat(config.products()).isEqualTo(8);
        assertThat(config.orders()).isEqualTo(9);
        assertThat(config.maxItemsPerOrder()).isEqualTo(2);
        assertThat(config.chaosPercent()).isEqualTo(12.5);
        assertThat(config.startingAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(config.endingAt()).as("a date alone ends at its last second")
                .isEqualTo(Instant.parse("2024-06-30T23:59:59Z"));
        assertThat(config.seed()).isEqualTo(-5);
        assertThat(config.createSchema()).isTrue();
        assertThat(config.stream()).isTrue();
        assertThat(config.rate()).isEqualTo(0.5);
        assertThat(config.maxEvents()).hasValue(300);
        assertThat(config.duration()).contains(Duration.ofSeconds(60));
    }

    @ParameterizedTest
    @CsvSource({
            "2024-01-31T12:00:00,        2024-01-31T12:00:00Z",
            "2024-01-31 12:00:00,        2024-01-31T12:00:00Z",
            "2024-01-31T12:00:00Z,       2024-01-31T12:00:00Z",
            "2024-01-31T12:00:00+02:00,  2024-01-31T10:00:00Z",
            "2024-01-31T12:00,           2024-01-31T12:00:00Z",
            "2024-01-31,                 2024-01-31T00:00:00Z"})
    void windowBoundsAreIsoDatesOrDateTimesInUtcUnlessAnOffsetIsGiven(String text, String expected) {
        assertThat(GeneratorConfig.parseBound("--starting-at", text, false)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--orders|-3|--orders must be >= 0, got -3",
            "--customers|-1|--customers must be >= 0, got -1",
            "--products|-2|--products must be >= 0, got -2",
            "--max-items-per-order|0|--max-items-per-order must be >= 1, got 0",
            "--chaos-percent|100.5|--chaos-percent must be between 0 and 100, got 100.5",
            "--chaos-percent|-1|--chaos-percent must be between 0 and 100, got -1.0",
            "--starting-at|2024-13-01|--starting-at '2024-13-01' is not an ISO date",
            "--ending-at|yesterday|--ending-at 'yesterday' is not an ISO date",
            "--rate|0|--rate must be a positive number of events per second, got 0.0",
            "--max-events|0|--max-events must be >= 1, got 0",
            "--duration|0|--duration must be > 0 seconds, got 0"})
    void badValuesAreRejectedWithTheOptionAndTheReason(String option, String value, String message) {
        assertThatThrownBy(() -> parse("--dsn", DSN, option, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void anEndBeforeTheStartIsRejected() {
        assertThatThrownBy(() -> parse("--dsn", DSN, "--starting-at", "2024-06-30", "--ending-at", "2024-01-01"))
                .hasMessageContaining("--ending-at")
                .hasMessageContaining("is before --starting-at");
    }

    @Test
    void aMissingDsnSaysWhereToPutOne() {
        assumeTrue(System.getenv("CDC_PG_URL") == null, "CDC_PG_URL is set in this environment");

        assertThatThrownBy(() -> parse())
                .hasMessage("--dsn is required: pass --dsn postgresql://user:pass@host:5432/db or set CDC_PG_URL");
    }

    @Test
    void aMalformedDsnNamesTheOptionButNotThePassword() {
        assertThatThrownBy(() -> parse("--dsn", "mysql://shop:s3cr3t-pw@localhost/shop"))
                .hasMessageStartingWith("--dsn: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-pw"));
    }

    @Test
    void theConfigPrintsWithoutThePassword() {
        GeneratorConfig config = parse("--dsn", DSN);

        assertThat(config.toString()).contains("postgresql://shop:***@localhost:5432/shop").doesNotContain("s3cr3t-pw");
    }

    @Test
    void aBadOptionOnTheCommandLineExitsWithUsageErrorAndTheMessage() {
        Run run = execute("--dsn", DSN, "--orders", "-3");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--orders must be >= 0, got -3").contains("Usage:").doesNotContain("s3cr3t-pw");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheOption() {
        Run run = execute("--dsn", DSN, "--orders", "many");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--orders").contains("many");
    }

    @Test
    void anUnreachableDatabaseFailsCleanlyWithoutShowingThePassword() {
        // Port 1 on the loopback refuses at once: nothing listens there.
        Run run = execute("--dsn", "postgresql://shop:s3cr3t-pw@127.0.0.1:1/shop", "--orders", "1");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).startsWith("generate failed: could not connect to postgresql://shop:***@127.0.0.1:1/shop")
                .doesNotContain("s3cr3t-pw");
        assertThat(run.out).doesNotContain("s3cr3t-pw");
    }

    @Test
    void helpListsTheTutorialsOptionsAndOurs() {
        Run run = execute("--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("--dsn", "--customers", "--products", "--orders", "--max-items-per-order",
                "--chaos-percent", "--starting-at", "--ending-at", "--seed", "--create-schema", "--stream", "--rate",
                "--max-events", "--duration", "CDC_PG_URL");
    }

    @Test
    void theBuilderValidatesCodeBuiltConfigsTheSameWay() {
        PgDsn dsn = PgDsn.parse(DSN);

        assertThatThrownBy(() -> GeneratorConfig.builder(dsn).orders(-1).build())
                .hasMessage("--orders must be >= 0, got -1");
        assertThat(GeneratorConfig.builder(dsn).orders(0).build().orders()).isZero();
    }

    private static GeneratorConfig parse(String... args) {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new GenerateCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        int code = commandLine.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
