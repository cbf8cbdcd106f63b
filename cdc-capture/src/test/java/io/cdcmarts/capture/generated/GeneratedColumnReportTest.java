package io.cdcmarts.capture.generated;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedColumnReportTest {

    @Test
    void namesEveryGeneratedColumnItCannotComputeWithTheReason() {
        TableShape items = new TableShape("order_items", List.of(
                new ColumnInfo("id", 1, PgType.of("int8"), null),
                new ColumnInfo("quantity", 2, PgType.of("int4"), null),
                new ColumnInfo("unit_price", 3, PgType.numeric(10, 2), null),
                new ColumnInfo("total_price", 4, PgType.numeric(12, 2), "((quantity)::numeric * unit_price)"),
                new ColumnInfo("rounded", 5, PgType.numeric(12, 0), "round(unit_price)")));
        TableShape plain = new TableShape("customers", List.of(new ColumnInfo("id", 1, PgType.of("int8"), null)));

        GeneratedColumnReport report = GeneratedColumnReport.of(List.of(items, plain), 15);

        assertThat(report.computed()).containsExactly(
                "order_items.total_price numeric(12,2) GENERATED ALWAYS AS ((quantity)::numeric * unit_price)");
        assertThat(report.warnings()).singleElement().asString()
                .contains("order_items.rounded")
                .contains("round(unit_price)")
                .contains("calls the function round()")
                .contains("PostgreSQL 15")
                .contains("NULL");
    }

    @Test
    void nothingToSayWithoutGeneratedColumns() {
        GeneratedColumnReport report = GeneratedColumnReport.of(
                List.of(new TableShape("t", List.of(new ColumnInfo("id", 1, PgType.of("int4"), null)))), 16);

        assertThat(report.computed()).isEmpty();
        assertThat(report.warnings()).isEmpty();
    }
}
