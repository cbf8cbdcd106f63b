package io.cdcmarts.capture.generated;

import io.cdcmarts.capture.postgres.SourceDatabase;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator against PostgreSQL itself: generated columns of a table are read from the catalog
 * as pg_get_expr prints them, computed from each row's other columns, and compared with the values
 * PostgreSQL stored — value and scale.
 */
class GenerationExpressionIT {

    @Test
    void computesWhatPostgresStores() throws Exception {
        PgDsn db = SharedInfra.get().newDatabase("generation_expression_it");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE calc (
                        id INTEGER PRIMARY KEY,
                        quantity INTEGER NOT NULL,
                        unit_price NUMERIC(10, 2) NOT NULL,
                        discount NUMERIC(10, 2),
                        weight DOUBLE PRECISION,
                        total NUMERIC(12, 2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
                        net NUMERIC(12, 2) GENERATED ALWAYS AS ((unit_price - discount) * quantity) STORED,
                        half INTEGER GENERATED ALWAYS AS (quantity / 2) STORED,
                        third NUMERIC GENERATED ALWAYS AS (unit_price / 3) STORED,
                        third4 NUMERIC(12, 4) GENERATED ALWAYS AS (unit_price / 3) STORED,
                        ratio NUMERIC GENERATED ALWAYS AS (quantity::numeric / 7) STORED,
                        taxed NUMERIC(12, 2) GENERATED ALWAYS AS (unit_price * 1.075) STORED,
                        negated INTEGER GENERATED ALWAYS AS (-quantity + 10) STORED,
                        casted NUMERIC(12, 3) GENERATED ALWAYS AS ((quantity::numeric / 7)::numeric(10, 3) * 2) STORED,
                        rounded_int INTEGER GENERATED ALWAYS AS (unit_price * 1) STORED,
                        pounds DOUBLE PRECISION GENERATED ALWAYS AS (weight * 2.2) STORED,
                        big BIGINT GENERATED ALWAYS AS (quantity::bigint * 1000000000) STORED,
                        literal NUMERIC(12, 2) GENERATED ALWAYS AS (unit_price * '-1.5') STORED)""");
            st.execute("""
                    INSERT INTO calc (id, quantity, unit_price, discount, weight) VALUES
                        (1, 3, 19.99, 0.99, 1.5),
                        (2, 7, 2.10, NULL, NULL),
                        (3, -5, -2.10, 0.05, 0.1),
                        (4, 1, 1.25, 1.25, 3),
                        (5, 0, 12345678.91, 0, 0),
                        (6, 11, 0.05, 0.01, 2.5)""");
        }

        TableShape shape;
        try (SourceDatabase source = SourceDatabase.connect(db, "public")) {
            shape = source.load("calc").orElseThrow();
        }
        List<GeneratedColumn> generated = shape.generatedColumns();
        assertThat(generated).hasSize(13).allSatisfy(g -> assertThat(g.reason()).as(g.describe()).isNull());

        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM calc ORDER BY id")) {
            while (rs.next()) {
                Map<String, BigDecimal> inputs = new HashMap<>();
                for (String column : List.of("quantity", "unit_price", "discount", "weight")) {
                    Object v = rs.getObject(column);
                    inputs.put(column, v == null ? null : new BigDecimal(v.toString()));
                }
                for (GeneratedColumn g : generated) {
                    Object stored = rs.getObject(g.name());
                    BigDecimal computed = g.expression().evaluate(inputs::get);
                    String what = g.describe() + " for row " + rs.getInt("id") + " " + inputs;
                    if (stored == null) {
                        assertThat(computed).as(what).isNull();
                    } else if (stored instanceof Double d) {
                        assertThat(computed.doubleValue()).as(what).isEqualTo(d);
                    } else {
                        assertThat(computed).as(what).isEqualTo(new BigDecimal(stored.toString()));
                    }
                }
            }
        }
    }
}
