package io.cdcmarts.app.status;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LayerProbeTest {

    @Test
    void countsRowsPerLayerAndMeasuresFreshnessFromTheNewestSourceCommit() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA raw; CREATE SCHEMA stg; CREATE SCHEMA mart; CREATE SCHEMA quality");
            st.execute("CREATE TABLE raw.orders (id BIGINT, _source_ts TIMESTAMPTZ)");
            st.execute("INSERT INTO raw.orders VALUES (1, TIMESTAMPTZ '2026-11-26 10:00:00+00'), (2, TIMESTAMPTZ '2026-11-26 10:00:05+00')");
            st.execute("CREATE TABLE raw.customers (id BIGINT, _source_ts TIMESTAMPTZ)");
            st.execute("INSERT INTO raw.customers VALUES (1, TIMESTAMPTZ '2026-11-26 10:00:07+00')");
            st.execute("CREATE TABLE stg.orders (id BIGINT)");
            st.execute("INSERT INTO stg.orders VALUES (1)");
            st.execute("CREATE TABLE mart.kpis (k VARCHAR)");
            st.execute("CREATE TABLE quality.open_failures (id BIGINT)");
            st.execute("INSERT INTO quality.open_failures VALUES (1), (2), (3)");
            st.execute("CREATE VIEW mart.top_skus AS SELECT 1 AS x"); // views are not layers' tables

            LayerFacts facts = LayerProbe.read(new JdbcSqlSource(c, "memory"), Instant.parse("2026-11-26T10:00:10Z"));

            assertThat(facts.error()).isNull();
            assertThat(facts.rows("raw")).isEqualTo(3);
            assertThat(facts.rowsByTable().get("raw")).containsEntry("orders", 2L).containsEntry("customers", 1L);
            assertThat(facts.rows("stg")).isEqualTo(1);
            assertThat(facts.rowsByTable().get("mart")).containsOnlyKeys("kpis");
            assertThat(facts.openFailures()).isEqualTo(3);
            assertThat(facts.newestSourceTs()).isEqualTo(Instant.parse("2026-11-26T10:00:07Z"));
            assertThat(facts.freshness()).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void anEmptyFileHasNoFreshnessRatherThanAnError() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            LayerFacts facts = LayerProbe.read(new JdbcSqlSource(c, "memory"), Instant.now());
            assertThat(facts.error()).isNull();
            assertThat(facts.rows("raw")).isZero();
            assertThat(facts.freshness()).isNull();
        }
    }

    @Test
    void aFailingSourceBecomesAnErrorNamingIt() {
        SqlSource broken = new SqlSource() {
            @Override
            public String describe() {
                return "the sink at http://localhost:1/api/query";
            }

            @Override
            public java.util.List<java.util.List<Object>> rows(String sql) throws Exception {
                throw new java.io.IOException("Connection refused");
            }
        };
        LayerFacts facts = LayerProbe.read(broken, Instant.now());
        assertThat(facts.error()).contains("http://localhost:1/api/query").contains("Connection refused");
    }
}
