package io.cdcmarts.app.bench;

import io.cdcmarts.common.PgDsn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PgbenchWorkloadTest {

    private static final PgDsn DSN = PgDsn.parse("postgresql://shop:s3cret-pw@db.example:6543/shopdb?sslmode=require");

    @TempDir
    Path dir;

    private List<Path> existingBefore = List.of();

    @BeforeEach
    void rememberTempDirectories() throws IOException {
        existingBefore = workloadDirectories();
    }

    /** The workload's temporary directories (under java.io.tmpdir) made since the test began. */
    private List<Path> tempDirectories() throws IOException {
        return workloadDirectories().stream().filter(p -> !existingBefore.contains(p)).toList();
    }

    private static List<Path> workloadDirectories() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("cdc-marts-pgbench")).toList();
        }
    }

    @Test
    void commandLineCarriesTheRateClientsDurationAndEveryScriptButNeverThePassword() {
        List<String> args = PgbenchWorkload.command("pgbench", DSN, 2500, 8, Duration.ofMillis(60_500), 7, Path.of("/s"), 20_000);

        assertThat(args).startsWith("pgbench").endsWith("shopdb")
                .contains("--host=db.example", "--port=6543", "--username=shop", "--client=8", "--rate=2500.0",
                        "--time=61", "--random-seed=7", "--define=orders_window=20000", "--define=items_window=40000", "--protocol=prepared", "--max-tries=10", "--no-vacuum",
                        "--file=/s/new_order.sql@25", "--file=/s/order_status.sql@40", "--file=/s/item_quantity.sql@15",
                        "--file=/s/item_price.sql@10", "--file=/s/delete_item.sql@5", "--file=/s/delete_order.sql@5");
        assertThat(String.join(" ", args)).doesNotContain("s3cret-pw");
    }

    @Test
    void anIpv6HostLosesItsBrackets() {
        assertThat(PgbenchWorkload.command("pgbench", PgDsn.parse("postgresql://u@[::1]:5432/db"), 10, 1, Duration.ofSeconds(1), 7,
                Path.of("/s"), 100)).contains("--host=::1");
    }

    @Test
    void thePasswordAndTheConnectionSettingsGoThroughLibpqsEnvironment() {
        assertThat(PgbenchWorkload.environment(DSN))
                .containsEntry("PGPASSWORD", "s3cret-pw").containsEntry("PGSSLMODE", "require").containsEntry("PGCONNECT_TIMEOUT", "10");
        assertThat(PgbenchWorkload.environment(PgDsn.parse(
                "jdbc:postgresql://h/db?user=u&ssl=true&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem&currentSchema=shop,%20public")))
                .containsEntry("PGSSLMODE", "verify-full").containsEntry("PGSSLROOTCERT", "/ca.pem").containsEntry("PGSSLCERT", "/c.pem")
                .containsEntry("PGSSLKEY", "/k.pem").containsEntry("PGOPTIONS", "-c search_path=shop,\\ public");
        assertThat(PgbenchWorkload.environment(PgDsn.parse("postgresql://u@h/db"))).doesNotContainKeys("PGPASSWORD", "PGSSLMODE");
    }

    @Test
    void theWindowIsThirtySecondsOfNewOrders() {
        assertThat(PgbenchWorkload.ordersWindow(3000)).isEqualTo(22_500);
        assertThat(PgbenchWorkload.ordersWindow(1)).isEqualTo(100);
    }

    @Test
    void aPgbenchThatFailsAtStartIsReportedAtOnceAndItsDirectoryGoes() throws Exception {
        Path fake = fake("failing", "pgbench (PostgreSQL) 15.18",
                "echo 'pgbench: error: connection to server at \"h\" failed: FATAL:  too many clients already'; exit 2");
        try (PgbenchWorkload w = new PgbenchWorkload(fake.toString(), DSN, 100, 1, Duration.ofSeconds(60), 7)) {
            w.start();
            w.awaitTermination(Duration.ofSeconds(30));
            assertThatThrownBy(w::throwIfFailed).hasMessageContaining("pgbench stopped with exit code 2")
                    .hasMessageContaining("too many clients already");
        }
        assertThat(tempDirectories()).isEmpty();
    }

    @Test
    void closeStopsARunningPgbench() throws Exception {
        Path fake = fake("slow", "pgbench (PostgreSQL) 15.18", "exec sleep 60");
        PgbenchWorkload w = new PgbenchWorkload(fake.toString(), DSN, 100, 1, Duration.ofSeconds(60), 7);
        w.start();
        w.throwIfFailed();
        long started = System.nanoTime();
        w.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(tempDirectories()).isEmpty();
    }

    @Test
    void everyScriptIsShippedAndTheWeightsMakeAHundred() {
        for (PgbenchWorkload.Script s : PgbenchWorkload.SCRIPTS) {
            assertThat(PgbenchWorkload.class.getResource("pgbench/" + s.name() + ".sql")).as(s.name()).isNotNull();
        }
        assertThat(PgbenchWorkload.SCRIPTS.stream().mapToInt(PgbenchWorkload.Script::weight).sum()).isEqualTo(100);
    }

    @Test
    void readsTheTransactionsAndFailuresFromPgbenchsSummary() {
        String said = """
                pgbench (15.18 (Debian 15.18-0+deb12u1), server 18.1)
                transaction type: multiple scripts
                number of transactions actually processed: 352059
                number of failed transactions: 7 (0.002%)
                tps = 2708.148862 (without initial connection time)
                """;
        assertThat(PgbenchWorkload.count(PgbenchWorkload.PROCESSED, said)).hasValue(352059);
        assertThat(PgbenchWorkload.count(PgbenchWorkload.FAILED, said)).hasValue(7);
        assertThat(PgbenchWorkload.count(PgbenchWorkload.FAILED, "tps = 1")).isEmpty();
    }

    @Test
    void errorsAreItsErrorLinesWithoutAPassword() {
        String said = """
                pgbench (15.18)
                pgbench: error: connection to server at "h" failed: FATAL:  password authentication failed for user "shop"
                pgbench: error: could not create connection for client 0 to postgresql://shop:s3cret-pw@h/db
                """;
        assertThat(PgbenchWorkload.errors(said)).contains("password authentication failed").doesNotContain("s3cret-pw");
        assertThat(PgbenchWorkload.errors("a\nlast line\n")).isEqualTo("last line");
    }

    @Test
    void aMissingPgbenchIsNamedWithTheOption() {
        String missing = dir.resolve("no-such-pgbench").toString();
        assertThatThrownBy(() -> PgbenchWorkload.requireVersion(missing))
                .hasMessageContaining("pgbench was not found (--pgbench " + missing + ")")
                .hasMessageContaining("15 or newer");
    }

    @Test
    void anOlderPgbenchOrAnotherProgramIsRefused() throws IOException {
        Path old = fake("pgbench14", "pgbench (PostgreSQL) 14.10");
        assertThatThrownBy(() -> PgbenchWorkload.requireVersion(old.toString()))
                .hasMessageContaining("--pgbench " + old + " is pgbench (PostgreSQL) 14.10")
                .hasMessageContaining("needs 15 or newer");
        Path other = fake("notpgbench", "hello 1.0");
        assertThatThrownBy(() -> PgbenchWorkload.requireVersion(other.toString()))
                .hasMessageContaining("is not pgbench: its --version said 'hello 1.0'");
    }

    @Test
    void aCurrentPgbenchIsTaken() throws Exception {
        PgbenchWorkload.requireVersion(fake("pgbench18", "pgbench (PostgreSQL) 18.1").toString());
    }

    @Test
    void closeAlsoStopsWhatAWrapperStarted() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path fake = fake("wrapper", "pgbench (PostgreSQL) 15.18", "sleep 60 & echo $! > " + pidFile + "; wait");
        PgbenchWorkload w = new PgbenchWorkload(fake.toString(), DSN, 100, 1, Duration.ofSeconds(60), 7);
        w.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        w.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    private Path fake(String name, String version) throws IOException {
        return fake(name, version, "exit 0");
    }

    /** A stand-in for pgbench: prints {@code version} for --version, otherwise runs {@code run}. */
    private Path fake(String name, String version, String run) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo '" + version + "'; exit 0; fi\n" + run + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
