package io.cdcmarts.app;

import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.quality.RulesFile;
import io.cdcmarts.processor.reprocess.Reprocessor;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.verify.MartVerifier;
import io.cdcmarts.sink.verify.VerifyReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code reprocess} after a rules change, on real PostgreSQL, Kafka and DuckDB: the pipeline runs
 * with the built-in rules; then the rules change (customers' age capped at 60 — the 65+ age band
 * loses every member; the email pattern off — rows that failed now pass; jackets no longer an
 * accepted category — variant mart rows of jackets disappear); the processor is stopped and the
 * application reprocessed while capture and sink keep running and source changes arrive; then the
 * processor runs again with the new rules. The sink must hold the new rules' result: stale mart
 * rows and open failures gone, the marts equal to their batch recomputation.
 */
class ReprocessIT {

    @TempDir
    static Path dir;

    static PipelineFixture pipeline;
    static SinkService sink;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = PipelineFixture.start("reprocess_it", "reproit", dir,
                data -> data.customers(60).products(16).orders(150).chaosPercent(5));
        sink = pipeline.sink();
        // Ages 18..67 plus some 70s, emails that fail the pattern, and jackets with lettered sizes,
        // so that each rule change below has rows to act on.
        sql("""
                UPDATE customers SET age = 18 + (id % 50);
                UPDATE customers SET age = 70 WHERE id % 9 = 0;
                UPDATE customers SET email = 'broken-' || id WHERE id % 10 = 3;
                UPDATE products SET category = 'jackets' WHERE id % 4 = 1;
                UPDATE product_variants SET size = 'M' WHERE product_id % 4 = 1;
                UPDATE orders SET status = 'paid' WHERE id % 3 = 0;
                """);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void reprocessAfterARulesChangeLeavesTheSinkWithTheNewRulesResult() throws Exception {
        // Given the pipeline under the built-in rules, settled and verified
        awaitVerified();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                assertThat(column(duck, "SELECT age_band FROM mart.customers_by_age")).contains("65+");
                assertThat(column(duck, "SELECT checks FROM quality.open_failures WHERE \"table\" = 'customers'"))
                        .anyMatch(c -> c.contains("pattern"));
                assertThat(column(duck, "SELECT category FROM stg.products")).contains("jackets");
                assertThat(jacketVariantsInVariantMart(duck)).isNotEmpty();
            }
        });
        Path rulesFile = dir.resolve("rules.properties");
        Files.writeString(rulesFile, """
                # retirement: customers over 60 leave staging
                customers.age.max = 60
                # any email goes
                customers.email.pattern = off
                products.category.accepted_values = t-shirts, hoodies, shoes, accessories
                """);
        ProcessorConfig newRules = pipeline.processorConfig().rules(RulesFile.read(rulesFile)).build();

        // When reprocess is asked for while the processor still runs, it refuses
        assertThatThrownBy(() -> new Reprocessor(new ProcessorService(newRules, pipeline.registry()), Duration.ofMinutes(1), line -> {
        }).run()).isInstanceOf(Reprocessor.ProcessorStillRunningException.class)
                .hasMessageContaining("stop 'cdc-marts process' first");

        // When the processor is stopped and the application reprocessed with the new rules, while
        // capture and sink keep running and changes arrive at the source
        pipeline.stopProcessor();
        CompletableFuture<Void> changesMeanwhile = CompletableFuture.runAsync(() -> sqlUnchecked("""
                INSERT INTO customers (full_name, email, country, age) VALUES ('Late Elder', 'elder@example.com', 'Peru', 88);
                INSERT INTO customers (full_name, email, country, age) VALUES ('Late Broken', 'late-broken', 'Peru', 30);
                UPDATE customers SET age = 63 WHERE id % 10 = 1;
                DELETE FROM order_items WHERE id % 13 = 0;
                UPDATE orders SET status = 'shipped' WHERE id % 5 = 0;
                """));
        List<String> progress = new ArrayList<>();
        ProcessorService reprocessing = new ProcessorService(newRules, pipeline.registry());
        Reprocessor.Result result = new Reprocessor(reprocessing, Duration.ofMinutes(8), progress::add).run();
        changesMeanwhile.get();

        // Then it reports what it did, and it deleted the stale keys of the marts and open failures
        assertThat(result.internalTopicsDeleted()).isNotEmpty();
        assertThat(result.tombstones().get("reproit.mart.customers_by_age")).isPositive();
        assertThat(result.tombstones().get("reproit.quality.open_failures")).isPositive();
        assertThat(progress).anyMatch(line -> line.startsWith("caught up"));

        // When the same service goes on as the processor (what --then-run does), and more changes arrive
        pipeline.startProcessor(reprocessing);
        sql("""
                INSERT INTO customers (full_name, email, country, age) VALUES ('After Young', 'after@example', 'Chile', 25);
                UPDATE customers SET age = 99 WHERE id = (SELECT min(id) FROM customers WHERE age <= 60);
                UPDATE order_items SET quantity = quantity + 1 WHERE id % 7 = 0;
                """);

        // Then the sink holds the new rules' result
        awaitVerified();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptionsMatching(ReprocessIT::duckDbStatisticsLag)
                .untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                assertSinkFollowsTheNewRules(duck);
            }
        });
    }

    private static void assertSinkFollowsTheNewRules(Connection duck) throws Exception {
        // staging: no customer over 60; every source customer with a broken email and an age up to 60 is staged
        assertThat(column(duck, "SELECT id FROM stg.customers WHERE age > 60")).as("customers over 60 in stg").isEmpty();
        List<String> brokenButYoung = pgColumn("SELECT id FROM customers WHERE email NOT LIKE '%@%.%' AND age <= 60"
                + " AND btrim(full_name) <> '' AND btrim(country) <> ''");
        assertThat(brokenButYoung).as("source customers with a broken email, 60 or younger").hasSizeGreaterThan(3);
        assertThat(column(duck, "SELECT id FROM stg.customers")).as("stg.customers").containsAll(brokenButYoung);
        assertThat(column(duck, "SELECT category FROM stg.products")).doesNotContain("jackets");

        // open failures: the pattern check is gone; every source customer over 60 fails max
        assertThat(column(duck, "SELECT checks FROM quality.open_failures WHERE \"table\" = 'customers'"))
                .noneMatch(c -> c.contains("pattern"));
        List<String> overSixty = pgColumn("SELECT id FROM customers WHERE age > 60");
        assertThat(overSixty).hasSizeGreaterThan(5);
        assertThat(column(duck, "SELECT CAST(json_extract(key, '$.id') AS BIGINT) FROM quality.open_failures"
                + " WHERE \"table\" = 'customers' AND checks LIKE '%max%'"))
                .as("open failures of customers over 60").containsExactlyInAnyOrderElementsOf(overSixty);
        assertThat(column(duck, "SELECT CAST(json_extract(key, '$.id') AS BIGINT) FROM quality.open_failures"
                + " WHERE \"table\" = 'products'"))
                .as("products failing now: the jackets").containsAll(pgColumn("SELECT id FROM products WHERE category = 'jackets'"));

        // marts: the rows whose every contributor now fails are gone
        assertThat(column(duck, "SELECT age_band FROM mart.customers_by_age")).doesNotContain("65+");
        assertThat(jacketVariantsInVariantMart(duck)).isEmpty();
        VerifyReport report = new MartVerifier().verify(duck);
        assertThat(report.allEqual()).as(report.render(10)).isTrue();
    }

    private static List<String> jacketVariantsInVariantMart(Connection duck) {
        return column(duck, """
                SELECT m.variant_id FROM mart.revenue_by_product_variant m
                JOIN raw.product_variants v ON v.id = m.variant_id JOIN raw.products p ON p.id = v.product_id
                WHERE lower(trim(p.category)) = 'jackets'""");
    }

    /**
     * DuckDB 1.4.4 once failed the batch recomputation on the live file in the middle of the sink's
     * first load ("Perfect hash aggregate: aggregate group 64 exceeded total groups 64 ... statistics
     * ... corrupt", 2026-12-07, a busy suite), probably a query planned from table statistics that did
     * not yet cover rows it could see. The next poll's query is planned again; a file whose statistics
     * stayed wrong would fail every poll until the deadline.
     */
    private static boolean duckDbStatisticsLag(Throwable e) {
        return e instanceof SQLException && String.valueOf(e.getMessage()).contains("Perfect hash aggregate");
    }

    private static void awaitVerified() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptionsMatching(ReprocessIT::duckDbStatisticsLag)
                .untilAsserted(() -> {
            try (Connection duck = sink.openReader()) {
                for (String table : List.of("customers", "products", "product_variants", "orders", "order_items")) {
                    assertThat(column(duck, "SELECT count(*) FROM raw." + table))
                            .as("raw.%s rows", table).containsExactly(pgColumn("SELECT count(*) FROM " + table).get(0));
                }
                VerifyReport report = new MartVerifier().verify(duck);
                assertThat(report.allEqual()).as(report.render(10)).isTrue();
                assertThat(report.marts()).allMatch(m -> m.batchRows() > 0);
            }
        });
    }

    /** One column of a DuckDB query; a table the sink has not created yet is an assertion failure to wait out. */
    private static List<String> column(Connection c, String sql) {
        try {
            return TableSnapshot.rows(c, sql).stream().map(row -> row.values().iterator().next()).toList();
        } catch (SQLException e) {
            throw new AssertionError("not there yet: " + e.getMessage(), e);
        }
    }

    private static List<String> pgColumn(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pipeline.dsn().jdbcUrl(), pipeline.dsn().jdbcProperties())) {
            return TableSnapshot.rows(c, sql).stream().map((Map<String, String> row) -> row.values().iterator().next()).toList();
        }
    }

    private static void sqlUnchecked(String script) {
        try {
            sql(script);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String script) throws Exception {
        pipeline.sql(script);
    }
}
