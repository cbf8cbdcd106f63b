package io.cdcmarts.generator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * What {@code cdc-marts generate} does, in order: create the schema when asked, run the bulk step,
 * then, with {@code --stream}, the continuous workload until a limit is reached or the JVM is asked
 * to stop (Ctrl-C, SIGTERM), after which it stops cleanly.
 */
public final class Generator {

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    private final GeneratorConfig config;

    public Generator(GeneratorConfig config) {
        this.config = config;
    }

    /**
     * Runs to the end.
     *
     * @throws SQLException          when the database refuses or cannot be reached
     * @throws IllegalStateException when the tables are missing and {@code --create-schema} was not given
     */
    public void run() throws SQLException, InterruptedException {
        try (Connection connection = Connections.open(config.dsn(), "cdc-marts-generator")) {
            if (config.createSchema()) {
                Schema.create(connection);
                LOG.info("Schema ready in {}", config.dsn());
            }
            List<String> missing = Schema.missingTables(connection);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("tables " + missing + " do not exist in " + config.dsn()
                        + ": create them with --create-schema");
            }
            if (config.customers() > 0 || config.products() > 0 || config.orders() > 0) {
                new BulkGenerator(config).run(connection);
            }
        }
        if (config.stream()) {
            stream();
        }
    }

    private void stream() throws SQLException, InterruptedException {
        StreamingWorkload workload = new StreamingWorkload(config);
        Thread hook = new Thread(workload::close, "generator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            workload.start();
            while (!workload.awaitTermination(Duration.ofSeconds(1))) {
                // waiting for a limit, or for the shutdown hook to close the workload
            }
            if (workload.failure() != null) {
                throw new IllegalStateException("the streaming workload failed: " + workload.failure().getMessage(),
                        workload.failure());
            }
            LOG.info("Streaming workload done: {}", workload.stats());
        } finally {
            workload.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already stopping: the hook is what closed the workload.
            }
        }
    }
}
