package io.cdcmarts.sink.verify;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class MartVerifierTest {

    private Connection duckdb;

    @BeforeEach
    void sourceTablesWithTwoRevenueOrders() throws SQLException {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        exec("""
                CREATE SCHEMA raw; CREATE SCHEMA stg; CREATE SCHEMA mart;
                CREATE TABLE stg.customers (id BIGINT PRIMARY KEY, full_name VARCHAR, email VARCHAR, country VARCHAR, age INTEGER);
                CREATE TABLE stg.orders (id BIGINT PRIMARY KEY, customer_id BIGINT, order_date TIMESTAMPTZ, status VARCHAR);
                CREATE TABLE stg.order_items (id BIGINT PRIMARY KEY, order_id BIGINT, variant_id BIGINT, quantity INTEGER, unit_price DECIMAL(10,2));
                CREATE TABLE stg.products (id BIGINT PRIMARY KEY, name VARCHAR, category VARCHAR, sku VARCHAR);
                CREATE TABLE stg.product_variants (id BIGINT PRIMARY KEY, product_id BIGINT, variant_sku VARCHAR, color VARCHAR, size VARCHAR, manufacturing_price DECIMAL(10,2));
                CREATE TABLE raw.order_items AS SELECT * FROM stg.order_items;
                CREATE TABLE raw.products AS SELECT * FROM stg.products;
                CREATE TABLE raw.product_variants AS SELECT * FROM stg.product_variants;
                INSERT INTO stg.customers VALUES (1, 'Ann', 'a@x.io', 'Peru', 30), (2, 'Bo', 'b@x.io', 'Peru', 70);
                -- 23:30 at UTC-5 is the next day in UTC
                INSERT INTO stg.orders VALUES (10, 1, TIMESTAMPTZ '2024-03-01 23:30:00-05', 'paid'),
                                              (11, 1, TIMESTAMPTZ '2024-03-02 10:00:00+00', 'shipped'),
                                              (12, 2, TIMESTAMPTZ '2024-03-02 11:00:00+00', 'pending');
                INSERT INTO stg.products VALUES (100, 'Trail shoes', 'shoes', 'SKU-1');
                INSERT INTO stg.product_variants VALUES (1000, 100, 'VAR-1', 'Red', '42', 10.00);
                INSERT INTO stg.order_items VALUES (1, 10, 1000, 2, 20.00), (2, 11, 1000, 1, 25.55), (3, 12, 1000, 5, 1.00);
                INSERT INTO raw.order_items SELECT * FROM stg.order_items;
                INSERT INTO raw.products SELECT * FROM stg.products;
                INSERT INTO raw.product_variants SELECT * FROM stg.product_variants;
                CREATE TABLE mart.sales_daily (day DATE PRIMARY KEY, orders BIGINT, units BIGINT, revenue DECIMAL(18,2), avg_order_value DECIMAL(18,4));
                INSERT INTO mart.sales_daily VALUES (DATE '2024-03-02', 2, 3, 65.55, 32.7750);
                CREATE TABLE mart.kpis (kpi_scope VARCHAR PRIMARY KEY, orders BIGINT, units BIGINT, revenue DECIMAL(18,2), avg_order_value DECIMAL(18,4),
                    units_per_order DECIMAL(18,4), customers_with_orders BIGINT, repeat_customers BIGINT, repeat_purchase_rate DECIMAL(18,4));
                INSERT INTO mart.kpis VALUES ('all', 2, 3, 65.55, 32.7750, 1.5000, 1, 1, 1.0000);
                CREATE TABLE mart.customers_by_age (age_band VARCHAR PRIMARY KEY, customers BIGINT);
                INSERT INTO mart.customers_by_age VALUES ('25-34', 1), ('65+', 1);
                """);
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    @Test
    void martsThatMatchTheirDefinitionsVerify() throws SQLException {
        MartVerifier verifier = new MartVerifier();

        assertThat(verifier.verify(duckdb, BatchMarts.SALES_DAILY).differences()).isEmpty();
        assertThat(verifier.verify(duckdb, BatchMarts.KPIS).differences()).isEmpty();
        assertThat(verifier.verify(duckdb, BatchMarts.CUSTOMERS_BY_AGE).differences()).isEmpty();
    }

    @Test
    void aCentOffIsADifferenceAndSoIsAMissingOrExtraRow() throws SQLException {
        exec("""
                UPDATE mart.sales_daily SET revenue = 65.54;
                DELETE FROM mart.customers_by_age WHERE age_band = '65+';
                INSERT INTO mart.customers_by_age VALUES ('<18', 1);
                """);
        MartVerifier verifier = new MartVerifier();

        assertThat(verifier.verify(duckdb, BatchMarts.SALES_DAILY).differences())
                .singleElement().asString().contains("revenue").contains("65.55").contains("65.54");
        assertThat(verifier.verify(duckdb, BatchMarts.CUSTOMERS_BY_AGE).differences())
                .hasSize(2).anyMatch(d -> d.startsWith("missing")).anyMatch(d -> d.startsWith("unexpected"));
    }

    @Test
    void aMartWithoutItsTableIsDifferentOnlyWhenTheBatchHasRows() throws SQLException {
        MartVerifier verifier = new MartVerifier();

        VerifyReport.MartResult byCountry = verifier.verify(duckdb, BatchMarts.CUSTOMERS_BY_COUNTRY);

        assertThat(byCountry.equal()).isFalse();
        assertThat(byCountry.batchRows()).isEqualTo(1);
    }

    @Test
    void theTopSkuViewRanksByRevenueThenSku() throws SQLException {
        exec("""
                CREATE TABLE mart.revenue_by_product_variant (variant_id BIGINT PRIMARY KEY, variant_sku VARCHAR, product_id BIGINT,
                    product_name VARCHAR, color VARCHAR, size VARCHAR, units BIGINT, revenue DECIMAL(18,2), cost DECIMAL(18,2), gross_profit DECIMAL(18,2));
                INSERT INTO mart.revenue_by_product_variant VALUES (1000, 'VAR-1', 100, 'Trail shoes', 'Red', '42', 3, 65.55, 30.00, 35.55);
                """);
        exec(BatchMarts.TOP_SKUS_VIEW);

        assertThat(new MartVerifier().verify(duckdb, BatchMarts.TOP_SKUS).differences()).isEmpty();
        assertThat(new MartVerifier().verify(duckdb, BatchMarts.REVENUE_BY_PRODUCT_VARIANT).differences()).isEmpty();
    }

    @Test
    void ratiosRoundHalfUpAndAreNullOnZero() {
        assertThat(MartVerifier.ratio(new BigDecimal("2"), 3L)).isEqualByComparingTo("0.6667");
        assertThat(MartVerifier.ratio(new BigDecimal("0.00005"), 1L)).isEqualByComparingTo("0.0001");
        assertThat(MartVerifier.ratio(new BigDecimal("-0.00005"), 1L)).isEqualByComparingTo("-0.0001");
        assertThat(MartVerifier.ratio(new BigDecimal("1"), 0L)).isNull();
    }

    private void exec(String sql) throws SQLException {
        try (Statement st = duckdb.createStatement()) {
            for (String s : sql.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }
}
