package io.cdcmarts.generator;

import io.cdcmarts.common.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts generate}: the tutorial's data generator with the same options, plus
 * {@code --seed}, {@code --create-schema} and a continuous {@code --stream} mode. Every option also
 * reads an environment variable ({@code CDC_PG_URL}, {@code CDC_GENERATE_<OPTION>}) for docker
 * compose. Only maps options to a {@link GeneratorConfig} and hands it to {@link Generator}; the
 * launcher registers it as a subcommand, and {@link #main} runs it alone.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Fills PostgreSQL with fake e-commerce data: customers, products, product_variants, orders and order_items.",
                "Upserts customers (by email), products (by sku) and variants (by variant_sku); adds orders on every run.",
                "With --stream, then keeps changing the data at --rate events/s until Ctrl-C, --max-events or --duration."},
        exitCodeOnExecutionException = 1)
public final class GenerateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--dsn", paramLabel = "DSN", defaultValue = "${env:CDC_PG_URL}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "PostgreSQL DSN, postgresql://user:pass@host:5432/db or jdbc:postgresql://… (env CDC_PG_URL).")
    String dsn;

    @Option(names = "--customers", paramLabel = "N", defaultValue = "${env:CDC_GENERATE_CUSTOMERS:-100}",
            description = "Customers to generate (env CDC_GENERATE_CUSTOMERS; default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--products", paramLabel = "N", defaultValue = "${env:CDC_GENERATE_PRODUCTS:-50}",
            description = "Products to generate, each with 1-4 variants"
                    + " (env CDC_GENERATE_PRODUCTS; default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "${env:CDC_GENERATE_ORDERS:-500}",
            description = "Orders to generate (env CDC_GENERATE_ORDERS; default ${DEFAULT-VALUE}).")
    int orders;

    @Option(names = "--max-items-per-order", paramLabel = "N",
            defaultValue = "${env:CDC_GENERATE_MAX_ITEMS_PER_ORDER:-5}",
            description = "Each order gets 1..N items on distinct variants"
                    + " (env CDC_GENERATE_MAX_ITEMS_PER_ORDER; default ${DEFAULT-VALUE}).")
    int maxItemsPerOrder;

    @Option(names = "--chaos-percent", paramLabel = "PERCENT",
            defaultValue = "${env:CDC_GENERATE_CHAOS_PERCENT:-0.0}",
            description = "Percentage of bad rows: variants with invalid sizes; in --stream, also rows failing other"
                    + " staging checks, messy text, and later fixes"
                    + " (env CDC_GENERATE_CHAOS_PERCENT; default ${DEFAULT-VALUE}).")
    double chaosPercent;

    @Option(names = "--starting-at", paramLabel = "ISO", defaultValue = "${env:CDC_GENERATE_STARTING_AT}",
            description = "Start of the order-date window, ISO date or date-time, UTC unless an offset is given"
                    + " (env CDC_GENERATE_STARTING_AT; default: yesterday 00:00 UTC).")
    String startingAt;

    @Option(names = "--ending-at", paramLabel = "ISO", defaultValue = "${env:CDC_GENERATE_ENDING_AT}",
            description = "End of the order-date window; a date alone means its last second"
                    + " (env CDC_GENERATE_ENDING_AT; default: today 23:59:59 UTC).")
    String endingAt;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:CDC_GENERATE_SEED:-42}",
            description = "Seed of every random choice: the same seed on the same database gives the same rows"
                    + " (env CDC_GENERATE_SEED; default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--create-schema", defaultValue = "${env:CDC_GENERATE_CREATE_SCHEMA:-false}",
            description = "Create the five tables first when they do not exist (env CDC_GENERATE_CREATE_SCHEMA=true).")
    boolean createSchema;

    @Option(names = "--stream", defaultValue = "${env:CDC_GENERATE_STREAM:-false}",
            description = "After the bulk step, run a continuous workload of inserts, updates and deletes"
                    + " (env CDC_GENERATE_STREAM=true; use --orders 0 --customers 0 --products 0 to stream only).")
    boolean stream;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "${env:CDC_GENERATE_RATE:-20}",
            description = "Events per second in --stream mode (env CDC_GENERATE_RATE; default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-events", paramLabel = "N", defaultValue = "${env:CDC_GENERATE_MAX_EVENTS}",
            description = "Stop the stream after N events (env CDC_GENERATE_MAX_EVENTS; default: no limit).")
    Long maxEvents;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "${env:CDC_GENERATE_DURATION}",
            description = "Stop the stream after this many seconds (env CDC_GENERATE_DURATION; default: no limit).")
    Long durationSeconds;

    /** Runs {@code generate} on its own, outside the launcher. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new GenerateCommand()).execute(args));
    }

    @Override
    public Integer call() throws SQLException, InterruptedException {
        GeneratorConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            // A bad option: picocli prints the message and the usage, and exits with 2.
            throw new CommandLine.ParameterException(spec.commandLine(), Secrets.redact(e.getMessage()), e);
        }
        try {
            new Generator(config).run();
            return 0;
        } catch (SQLException | IllegalStateException e) {
            // What the user can act on, without a stack trace; the trace is there at debug level.
            spec.commandLine().getErr().println(spec.qualifiedName() + " failed: " + Secrets.redact(e.getMessage()));
            LOG.debug("generate failed", e);
            return 1;
        }
    }

    /**
     * The options as a validated config.
     *
     * @throws IllegalArgumentException naming the option and the reason
     */
    GeneratorConfig toConfig() {
        GeneratorConfig.Builder builder = GeneratorConfig.builder(GeneratorConfig.parseDsn(dsn))
                .customers(customers)
                .products(products)
                .orders(orders)
                .maxItemsPerOrder(maxItemsPerOrder)
                .chaosPercent(chaosPercent)
                .seed(seed)
                .createSchema(createSchema)
                .stream(stream)
                .rate(rate);
        if (startingAt != null) {
            builder.startingAt(GeneratorConfig.parseBound("--starting-at", startingAt, false));
        }
        if (endingAt != null) {
            builder.endingAt(GeneratorConfig.parseBound("--ending-at", endingAt, true));
        }
        if (maxEvents != null) {
            builder.maxEvents(maxEvents);
        }
        if (durationSeconds != null) {
            builder.duration(Duration.ofSeconds(durationSeconds));
        }
        return builder.build();
    }
}
