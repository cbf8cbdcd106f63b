package io.cdcmarts.app;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyReport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three end-to-end assertions, on a DuckDB connection (a live sink's reader or a file left
 * behind) and the source database: every raw table equals its source table, {@code verify}
 * finds every streamed mart equal to its batch recomputation over raw/stg, and every mart equals
 * the independent PostgreSQL oracle. Each fails with an AssertionError, so Awaitility's
 * {@code untilAsserted} retries "not there yet".
 */
final class PipelineChecks {

    static final List<String> TABLES = List.of("customers", "products", "product_variants", "orders", "order_items");

    private PipelineChecks() {
    }

    static void rawEqualsSource(Connection duck, PgDsn dsn) throws SQLException {
        for (String table : TABLES) {
            List<String> columns = TableSnapshot.pgColumns(dsn, table);
            // A column added at the source reaches DuckDB with the next change event; until
            // then its absence is a mismatch to wait out, not a SQL error that ends the wait.
            assertThat(TableSnapshot.duckdbColumns(duck, "raw", table))
                    .as("raw.%s has every source column", table)
                    .containsAll(columns);
            assertThat(TableSnapshot.duckdb(duck, "raw." + table, columns))
                    .as("raw.%s equals the source table", table)
                    .isEqualTo(TableSnapshot.postgres(dsn, table, columns));
        }
    }

    /** verify's report is all equal, and every mart but the age bands has rows (an empty pair proves nothing). */
    static VerifyReport martsVerify(Connection duck) throws SQLException {
        VerifyReport report = new MartVerifier().verify(duck);
        assertThat(report.allEqual()).as(report.render(10)).isTrue();
        assertThat(report.marts()).allMatch(m -> m.batchRows() > 0 || m.mart().equals("customers_by_age"));
        return report;
    }

    /** Every DuckDB mart equals the same definition computed on PostgreSQL, row by row, exact values. */
    static void martsEqualPostgresOracle(Connection duck, PgDsn dsn) throws SQLException {
        Map<String, Map<String, Map<String, String>>> expected = PostgresMartOracle.compute(dsn);
        Map<String, Map<String, Map<String, String>>> actual = PostgresMartOracle.duckdb(duck);
        for (PostgresMartOracle.Mart mart : PostgresMartOracle.ALL) {
            Map<String, String> specTypes = new LinkedHashMap<>();
            mart.columns().forEach(c -> specTypes.put(c, PostgresMartOracle.specType(c)));
            assertThat(TableSnapshot.duckdbColumnTypes(duck, "mart", mart.name()))
                    .as("mart.%s has SPEC §6's columns and types", mart.name())
                    .isEqualTo(specTypes);
            assertThat(expected.get(mart.name())).as("oracle mart %s has rows", mart.name()).isNotEmpty();
            assertThat(actual.get(mart.name()))
                    .as("mart.%s equals the PostgreSQL oracle", mart.name())
                    .isEqualTo(expected.get(mart.name()));
        }
    }
}
