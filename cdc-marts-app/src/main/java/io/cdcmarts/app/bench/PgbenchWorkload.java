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

    /** A script and its share of the transactions; the mix settles at about 1.7 row changes per transaction. */
    record Script(String name, int weight) {
    }

    static final List<Script> SCRIPTS = List.of(new Script("new_order", 25), new Script("order_status", 40),
            new Script("item_quantity", 15), new Script("item_price", 10), new Script("delete_item", 5),
            new Script("delete_order", 5));

    /** pgbench 15 added {@code --max-tries}, which runs again a transaction that lost a deadlock or a serialization check. */
    static final int OLDEST_MAJOR = 15;

    /**
     * The scripts change orders and items among the newest this many seconds' worth of new orders
     * (new_order's share of the transactions make one, with two items), so at any rate most picks find a
     * live row that is still moving on, as a shop's recent orders are.
     */
    static final int WINDOW_SECONDS = 30;

    static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Pattern VERSION = Pattern.compile("pgbench \\(PostgreSQL\\) (\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final String pgbench;
    private final PgDsn dsn;
    private final double rate;
    private final int clients;
    private final Duration runFor;
    private final long seed;
    private final int ordersWindow;
    private Path dir;
    private Path output;
    private Process process;
    private Thread cleanupOnExit;

    PgbenchWorkload(String pgbench, PgDsn dsn, double rate, int clients, Duration runFor, long seed) {
        this(pgbench, dsn, rate, clients, runFor, seed, ordersWindow(rate));
    }

    /** With a narrower window a test's small shop has its newest rows, the markers among them, picked often. */
    PgbenchWorkload(String pgbench, PgDsn dsn, double rate, int clients, Duration runFor, long seed, int ordersWindow) {
        this.pgbench = pgbench;
        this.dsn = dsn;
        this.rate = rate;
        this.clients = clients;
        this.runFor = runFor;
        this.seed = seed;
        this.ordersWindow = ordersWindow;
    }

    /** The new orders of {@link #WINDOW_SECONDS} at {@code rate} (new_order's share of the transactions); at least 100. */
    static int ordersWindow(double rate) {
        double newOrderShare = SCRIPTS.stream().filter(sc -> sc.name().equals("new_order")).mapToInt(Script::weight).sum()
                / (double) SCRIPTS.stream().mapToInt(Script::weight).sum();
        return (int) Math.max(100, Math.min(Integer.MAX_VALUE / 2, Math.ceil(rate * WINDOW_SECONDS * newOrderShare)));
    }

    @Override
    public void start() throws IOException, InterruptedException {
        requireVersion(pgbench);
        dir = Files.createTempDirectory("cdc-marts-pgbench");
        // A bench stopped by a signal must not leave pgbench loading the database for the rest of its --time
        cleanupOnExit = new Thread(this::stopAndClean, "bench-pgbench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        for (Script s : SCRIPTS) {
            try (InputStream in = PgbenchWorkload.class.getResourceAsStream("pgbench/" + s.name() + ".sql")) {
                if (in == null) {
                    throw new IllegalStateException("the pgbench script " + s.name() + ".sql is missing from the jar");
                }
                Files.copy(in, dir.resolve(s.name() + ".sql"));
            }
        }
        output = dir.resolve("pgbench.out");
        ProcessBuilder pb = new ProcessBuilder(command(pgbench, dsn, rate, clients, runFor, seed, dir, ordersWindow))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(environment(dsn));
        process = pb.start();
    }

    /** pgbench's arguments: everything but the password, which {@link #environment} carries. */
    static List<String> command(String pgbench, PgDsn dsn, double rate, int clients, Duration runFor, long seed,
                                Path scripts, int ordersWindow) {
        List<String> args = new ArrayList<>(List.of(pgbench, "--no-vacuum", "--protocol=prepared",
                "--host=" + host(dsn), "--port=" + dsn.port(), "--username=" + dsn.user(),
                "--client=" + clients, "--jobs=" + Math.min(clients, Runtime.getRuntime().availableProcessors()),
                "--rate=" + rate, "--time=" + Math.max(1, (runFor.toMillis() + 999) / 1000), "--max-tries=10",
                "--random-seed=" + seed, "--define=orders_window=" + ordersWindow,
                "--define=items_window=" + 2L * ordersWindow));
        for (Script s : SCRIPTS) {
            args.add("--file=" + scripts.resolve(s.name() + ".sql") + "@" + s.weight());
        }
        args.add(dsn.database());
        return args;
    }

    /** libpq takes an IPv6 address without the brackets a URL needs. */
    private static String host(PgDsn dsn) {
        String h = dsn.host();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** libpq's environment for what a DSN holds beyond host, port, user and database. */
    static Map<String, String> environment(PgDsn dsn) {
        Map<String, String> env = new LinkedHashMap<>();
        if (dsn.password() != null) {
            env.put("PGPASSWORD", dsn.password());
        }
        Map<String, String> params = dsn.params();
        String sslmode = params.get("sslmode");
        if (sslmode != null) {
            env.put("PGSSLMODE", sslmode);
        } else if ("true".equalsIgnoreCase(params.get("ssl"))) {
            env.put("PGSSLMODE", "verify-full"); // what pgjdbc makes of ssl=true without a mode
        }
        putIfPresent(env, "PGSSLROOTCERT", params.get("sslrootcert"));
        putIfPresent(env, "PGSSLCERT", params.get("sslcert"));
        putIfPresent(env, "PGSSLKEY", params.get("sslkey"));
        String schema = params.get("currentSchema");
        if (schema != null) {
            // libpq splits PGOPTIONS at spaces: a list such as "shop, public" keeps its space escaped
            String option = "-c search_path=" + schema.replace("\\", "\\\\").replace(" ", "\\ ");
            String inherited = System.getenv("PGOPTIONS");
            env.put("PGOPTIONS", inherited == null || inherited.isBlank() ? option : inherited + " " + option);
        }
        env.put("PGCONNECT_TIMEOUT", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        env.put("PGAPPNAME", "cdc-marts-bench");
        return env;
    }

    private static void putIfPresent(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
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
        if (process != null && !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("pgbench did not stop within " + timeout.toSeconds() + " s of the end of --duration");
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

    /** Throws once pgbench has exited with an error: at start (no connection, too many clients) or at its end. */
    @Override
    public void throwIfFailed() {
        if (process != null && !process.isAlive() && process.exitValue() != 0) {
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
    public void close() {
        stopAndClean();
        if (cleanupOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and runs the hook itself
            }
        }
    }

    private synchronized void stopAndClean() {
        if (process != null && process.isAlive()) {
            // a --pgbench that is a wrapper script may have started the real one as its child
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            children.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    children.forEach(ProcessHandle::destroyForcibly);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
