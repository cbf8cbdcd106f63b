package io.cdcmarts.sink.verify;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts verify}: recomputes every mart in batch from the raw and staging tables and
 * diffs it with the streamed marts. Exit 0 only when all are equal — the trust check to run after
 * an incident.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Recompute every mart in batch (SQL over raw/stg in DuckDB) and diff it with the streamed marts; exit 0 only when equal.")
public class VerifyCommand implements Callable<Integer> {

    @Option(names = "--duckdb", paramLabel = "PATH", defaultValue = "${env:CDC_DUCKDB_PATH:-data/cdc-marts.duckdb}",
            description = "DuckDB file (env CDC_DUCKDB_PATH; default ${DEFAULT-VALUE}).")
    Path duckdb;

    @Option(names = "--max-differences", paramLabel = "N", defaultValue = "20",
            description = "Differing rows to print per mart (default ${DEFAULT-VALUE}).")
    int maxDifferences;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(duckdb)) {
            throw new IllegalArgumentException("--duckdb " + duckdb + ": no such DuckDB file");
        }
        if (maxDifferences < 0) {
            throw new IllegalArgumentException("--max-differences must be >= 0, got " + maxDifferences);
        }
        VerifyReport report;
        try (Connection c = openReadOnly(duckdb)) {
            report = new MartVerifier().verify(c);
        }
        System.out.print(report.render(maxDifferences));
        return report.allEqual() ? 0 : 1;
    }

    /** Opens a DuckDB file read-only, explaining the one-writer lock when a sink holds it. */
    public static Connection openReadOnly(Path file) throws SQLException {
        Properties props = new Properties();
        props.setProperty("duckdb.read_only", "true");
        try {
            return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
        } catch (SQLException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("lock") || msg.contains("Conflicting")) {
                throw new IllegalStateException("DuckDB file " + file + " is held by another process (a running sink?): "
                        + "only one process may open it; stop the sink or ask it through its HTTP API", e);
            }
            throw e;
        }
    }
}
