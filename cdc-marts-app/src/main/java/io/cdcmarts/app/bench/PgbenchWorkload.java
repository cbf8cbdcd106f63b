package io.cdcmarts.app.bench;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code --workload pgbench}: the shop workload run by PostgreSQL's own pgbench, from the scripts
 * in this package's {@code pgbench} resources, at {@code --rate} transactions per second over
 * {@code --clients} connections. A C client costs the machine much less than the generator's
 * workload in a JVM, so at high rates more of a shared machine is left to the pipeline under test.
 * The password goes to pgbench through {@code PGPASSWORD}, never on its command line.
 */
final class PgbenchWorkload implements Workload {

    /** A script and its share of the transactions; the mix averages about 1.7 row changes per transaction. */
    record Script(String name, int weight) {
    }

    static final List<Script> SCRIPTS = List.of(new Script("new_order", 20), new Script("order_status", 45),
            new Script("item_quantity", 15), new Script("item_price", 10), new Script("delete_item", 5),
            new Script("delete_order", 5));

    /** pgbench 15 added {@code --max-tries}, which retries a transaction that lost a deadlock instead of ending its client. */
    static final int OLDEST_MAJOR = 15;

    private static final Pattern VERSION = Pattern.compile("pgbench \\(PostgreSQL\\) (\\d+)");
    static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    /** How far back from the newest order and item the scripts pick the rows they change: about the last half minute at 3,000 transactions/s. */
    static final int ORDERS_WINDOW = 20_000;
    static final int ITEMS_WINDOW = 40_000;

    private final String pgbench;
    private final PgDsn dsn;
    private final double rate;
    private final int clients;
    private final Duration runFor;
    private final int ordersWindow;
    private final int itemsWindow;
    private Path dir;
    private Path output;
    private Process process;

    PgbenchWorkload(String pgbench, PgDsn dsn, double rate, int clients, Duration runFor) {
        this(pgbench, dsn, rate, clients, runFor, ORDERS_WINDOW, ITEMS_WINDOW);
    }

    /** With narrower windows a test's small shop has its newest rows, the markers among them, picked often. */
    PgbenchWorkload(String pgbench, PgDsn dsn, double rate, int clients, Duration runFor, int ordersWindow, int itemsWindow) {
        this.ordersWindow = ordersWindow;
        this.itemsWindow = itemsWindow;
        this.pgbench = pgbench;
        this.dsn = dsn;
        this.rate = rate;
        this.clients = clients;
        this.runFor = runFor;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        requireVersion(pgbench);
        dir = Files.createTempDirectory("cdc-marts-pgbench");
        for (Script s : SCRIPTS) {
            try (InputStream in = PgbenchWorkload.class.getResourceAsStream("pgbench/" + s.name() + ".sql")) {
                if (in == null) {
                    throw new IllegalStateException("the pgbench script " + s.name() + ".sql is missing from the jar");
                }
                Files.copy(in, dir.resolve(s.name() + ".sql"));
            }
        }
        output = dir.resolve("pgbench.out");
        ProcessBuilder pb = new ProcessBuilder(command(pgbench, dsn, rate, clients, runFor, dir, ordersWindow, itemsWindow))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(environment(dsn));
        process = pb.start();
    }

    /** pgbench's arguments: everything but the password, which {@link #environment} carries. */
    static List<String> command(String pgbench, PgDsn dsn, double rate, int clients, Duration runFor, Path scripts,
                                int ordersWindow, int itemsWindow) {
        List<String> args = new ArrayList<>(List.of(pgbench, "--no-vacuum", "--protocol=prepared",
                "--host=" + dsn.host(), "--port=" + dsn.port(), "--username=" + dsn.user(),
                "--client=" + clients, "--jobs=" + Math.min(clients, Runtime.getRuntime().availableProcessors()),
                "--rate=" + rate, "--time=" + Math.max(1, (runFor.toMillis() + 999) / 1000), "--max-tries=10",
                "--define=orders_window=" + ordersWindow, "--define=items_window=" + itemsWindow));
        for (Script s : SCRIPTS) {
            args.add("--file=" + scripts.resolve(s.name() + ".sql") + "@" + s.weight());
        }
        args.add(dsn.database());
        return args;
    }

    /** libpq's environment for what a DSN holds beyond host, port, user and database. */
    static Map<String, String> environment(PgDsn dsn) {
        Map<String, String> env = new LinkedHashMap<>();
        if (dsn.password() != null) {
            env.put("PGPASSWORD", dsn.password());
        }
        String sslmode = dsn.params().get("sslmode");
        if (sslmode != null) {
            env.put("PGSSLMODE", sslmode);
        }
        env.put("PGAPPNAME", "cdc-marts-bench");
        return env;
    }

    /** Refuses a pgbench that is missing or older than {@link #OLDEST_MAJOR}, saying which was asked for. */
    static void requireVersion(String pgbench) throws InterruptedException {
        String said;
        try {
            Process p = new ProcessBuilder(pgbench, "--version").redirectErrorStream(true).start();
            if (!p.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("--pgbench " + pgbench + " did not answer --version within " + VERSION_TIMEOUT.toSeconds() + " s");
            }
            said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("--workload pgbench: pgbench was not found (--pgbench " + pgbench
                    + "): install PostgreSQL's client programs, " + OLDEST_MAJOR + " or newer, or run --workload generator");
        }
        Matcher m = VERSION.matcher(said);
        if (!m.find()) {
            throw new IllegalStateException("--pgbench " + pgbench + " is not pgbench: its --version said '" + firstLine(said) + "'");
        }
        if (Integer.parseInt(m.group(1)) < OLDEST_MAJOR) {
            throw new IllegalStateException("--pgbench " + pgbench + " is " + firstLine(said) + "; --workload pgbench needs "
                    + OLDEST_MAJOR + " or newer (--max-tries)");
        }
    }

    @Override
    public void awaitTermination(Duration timeout) throws InterruptedException {
        if (process != null) {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long events() {
        return count(PROCESSED, said()).orElse(0);
    }

    @Override
    public long failures() {
        return count(FAILED, said()).orElse(0);
    }

    static OptionalLong count(Pattern what, String said) {
        Matcher m = what.matcher(said);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    @Override
    public void throwIfFailed() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            throw new IllegalStateException("pgbench did not stop after --duration " + runFor.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("pgbench stopped with exit code " + process.exitValue() + ": " + errors(said()));
        }
    }

    /** pgbench's error lines (a client that gave up, a refused connection), or its last line. */
    static String errors(String said) {
        List<String> lines = said.lines().filter(l -> l.contains("error") || l.contains("FATAL") || l.contains("ERROR")).limit(3).toList();
        String text = lines.isEmpty() ? said.lines().reduce((a, b) -> b).orElse("(no output)") : String.join(" | ", lines);
        return Secrets.redact(text);
    }

    private String said() {
        if (output == null || !Files.exists(output)) {
            return "";
        }
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read pgbench's output " + output, e);
        }
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }

    @Override
    public String label() {
        return "pgbench";
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind holds only the shipped scripts and pgbench's summary
            }
        }
    }
}
