package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.processor.testkit.ProcessorHarness;
import io.cdcmarts.processor.testkit.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.order;
import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every check of SPEC §5, through the whole topology: a row that passes is staged; one that fails
 * on insert is dead-lettered and not staged; a staged row that breaks later leaves staging, is
 * dead-lettered and opens a failure; fixed later, it returns and its open failure closes.
 */
class StagingChecksTest {

    static Stream<Arguments> everyCheck() {
        return Stream.of(
                check("customers", customer(1), "full_name", null, "not_null"),
                check("customers", customer(1), "full_name", "   ", "not_blank"),
                check("customers", customer(1), "email", null, "not_null"),
                check("customers", customer(1), "email", "ada at example.com", "pattern"),
                check("customers", customer(1), "email", "ada@example", "pattern"),
                check("customers", customer(1), "country", null, "not_null"),
                check("customers", customer(1), "country", " \t ", "not_blank"),
                check("customers", customer(1), "age", -1, "min"),
                check("customers", customer(1), "age", 121, "max"),
                check("customers", customer(1), "age", "thirty", "valid_type"),
                check("products", product(10, "hoodies"), "name", null, "not_null"),
                check("products", product(10, "hoodies"), "name", "  ", "not_blank"),
                check("products", product(10, "hoodies"), "category", "gadgets", "accepted_values"),
                check("products", product(10, "hoodies"), "sku", null, "not_null"),
                check("product_variants", variant(100, 9, "M", "10.00"), "size", "42", "size_matches_category"),
                check("product_variants", variant(100, 9, "M", "10.00"), "size", null, "size_matches_category"),
                check("product_variants", variant(100, 9, "M", "10.00"), "manufacturing_price", $("0.00"), "positive"),
                check("product_variants", variant(100, 9, "M", "10.00"), "selling_price", $("-1.00"), "positive"),
                check("product_variants", variant(100, 9, "M", "10.00"), "stock_quantity", -1, "non_negative"),
                check("orders", order(1000, 1, "paid", "2024-03-01T10:00:00Z"), "status", "lost", "accepted_values"),
                check("orders", order(1000, 1, "paid", "2024-03-01T10:00:00Z"), "order_date", null, "not_null"),
                check("orders", order(1000, 1, "paid", "2024-03-01T10:00:00Z"), "order_date", "yesterday", "valid_type"),
                check("order_items", item(5000, 1000, 100, 2, "10.00"), "quantity", 0, "positive"),
                check("order_items", item(5000, 1000, 100, 2, "10.00"), "quantity", -3, "positive"),
                check("order_items", item(5000, 1000, 100, 2, "10.00"), "unit_price", $("0.00"), "positive"),
                check("order_items", item(5000, 1000, 100, 2, "10.00"), "unit_price", $("12.3456"), "valid_type"),
                check("order_items", item(5000, 1000, 100, 2, "10.00"), "unit_price", $("123456789.00"), "valid_type"),
                check("product_variants", variant(100, 9, "M", "10.00"), "selling_price", $("9.999"), "valid_type"));
    }

    private static Arguments check(String table, Row good, String column, Object bad, String check) {
        return Arguments.of(table, good, column, bad, check);
    }

    private static ProcessorHarness withDependencies() {
        ProcessorHarness h = new ProcessorHarness();
        h.insert("products", product(9, "t-shirts")); // the variants' product
        return h;
    }

    @ParameterizedTest(name = "{0}.{1} {4}")
    @MethodSource("everyCheck")
    void passFailFixedLaterBrokenLater(String table, Row good, String column, Object bad, String check) {
        try (ProcessorHarness h = withDependencies()) {
            long id = good.id();
            // Given a row that passes
            h.insert(table, good);
            // Then it is staged, with no dead letter and no open failure
            assertThat(h.stg(table, id)).as("staged when it passes").isNotNull();
            assertThat(h.deadLetters(table)).isEmpty();
            assertThat(h.openFailure(table, id)).isNull();

            // When it breaks later
            h.update(table, good.with(column, bad));
            // Then it leaves staging, is dead-lettered with that check, and its failure is open
            assertThat(h.stg(table, id)).as("left staging").isNull();
            assertThat(h.deadLetters(table)).hasSize(1);
            DeadLetter dl = h.deadLetters(table).get(0);
            assertThat(dl.failures()).extracting(DeadLetter.Failure::check, DeadLetter.Failure::column)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(check, column));
            assertThat(dl.table()).isEqualTo(table);
            assertThat(dl.key().toString()).isEqualTo("{\"id\":" + id + "}");
            assertThat(dl.source().topic()).isEqualTo("shop.raw." + table);
            assertThat(dl.source().lsn()).isEqualTo(h.lastLsn(table, id));
            ObjectNode open = h.openFailure(table, id);
            assertThat(open).isNotNull();
            assertThat(open.get("checks").asText()).isEqualTo(check);
            assertThat(open.get("table").asText()).isEqualTo(table);
            assertThat(open.get("key").asText()).isEqualTo("{\"id\":" + id + "}");

            // When it is fixed later
            h.update(table, good);
            // Then it is back in staging and its open failure is gone
            assertThat(h.stg(table, id)).as("back in staging").isNotNull();
            assertThat(h.openFailure(table, id)).isNull();
            assertThat(h.deadLetters(table)).hasSize(1);

            // When a new row fails at once
            Row other = good.with("id", id + 1);
            h.insert(table, other.with(column, bad));
            // Then it is dead-lettered and never staged
            assertThat(h.stg(table, id + 1)).isNull();
            assertThat(h.deadLetters(table)).hasSize(2);
            assertThat(h.openFailure(table, id + 1)).isNotNull();

            // When it is deleted, its open failure closes too
            h.delete(table, other.with(column, bad));
            assertThat(h.openFailure(table, id + 1)).isNull();
        }
    }

    @Test
    void boundaryValuesPass() {
        try (ProcessorHarness h = withDependencies()) {
            h.insert("customers", customer(1).with("age", 0));
            h.insert("customers", customer(2).with("age", 120));
            h.insert("customers", customer(3).with("age", null)); // min/max let NULL pass, as in Bruin
            h.insert("product_variants", variant(100, 9, "XL", "0.01").with("stock_quantity", 0));
            List<String> statuses = List.of("pending", "paid", "cancelled", " shipped ");
            for (int i = 0; i < statuses.size(); i++) {
                h.insert("orders", order(1000 + i, 1, statuses.get(i), "2024-03-01T10:00:00Z"));
            }
            h.insert("order_items", item(5000, 1000, 100, 1, "0.01"));

            assertThat(h.stg("customers")).hasSize(3);
            assertThat(h.stg("product_variants")).hasSize(1);
            assertThat(h.stg("orders")).hasSize(4);
            assertThat(h.stg("order_items")).hasSize(1);
            assertThat(h.openFailures()).isEmpty();
        }
    }

    @Test
    void everyFailureOfARowIsReportedTogether() {
        try (ProcessorHarness h = withDependencies()) {
            // Given a customer that fails four checks on three columns
            h.insert("customers", customer(1).with("full_name", " ").with("email", null).with("age", 200));

            DeadLetter dl = h.deadLetters("customers").get(0);
            List<String> checks = new ArrayList<>();
            dl.failures().forEach(f -> checks.add(f.check() + ":" + f.column()));
            assertThat(checks).containsExactly("not_blank:full_name", "not_null:email", "max:age");
            assertThat(h.openFailure("customers", 1).get("checks").asText()).isEqualTo("not_blank,not_null,max");
            // the dead letter carries the after image as the source had it
            assertThat(dl.row().get("full_name").asText()).isEqualTo(" ");
            // and the failing value as cleaned
            assertThat(dl.failures().get(0).value().asText()).isEqualTo("");
        }
    }

    @Test
    void checkFailuresAreCountedByTableAndCheck() {
        try (ProcessorHarness h = withDependencies()) {
            h.insert("customers", customer(1).with("age", 200));
            h.insert("customers", customer(2).with("age", 300).with("email", "x"));

            assertThat(h.registry().get(QualityMetrics.CHECK_FAILURES).tags("table", "customers", "check", "max")
                    .counter().count()).isEqualTo(2.0);
            assertThat(h.registry().get(QualityMetrics.CHECK_FAILURES).tags("table", "customers", "check", "pattern")
                    .counter().count()).isEqualTo(1.0);
        }
    }
}
