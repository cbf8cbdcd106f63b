package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static io.cdcmarts.processor.testkit.MartAssert.assertRow;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code customers_by_age} and {@code customers_by_country}, from staging customers. */
class CustomerMartsTest {

    private static Map<String, Long> counts(ProcessorHarness h, Mart<?> mart, String keyColumn) {
        Map<String, Long> counts = new TreeMap<>();
        h.mart(mart).values().forEach(row -> counts.put(row.get(keyColumn).asText(), row.get("customers").asLong()));
        return counts;
    }

    @Test
    void customersAreCountedByAgeBandAtItsEdges() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            int[] ages = {0, 17, 18, 24, 25, 34, 35, 44, 45, 54, 55, 64, 65, 120};
            for (int i = 0; i < ages.length; i++) {
                h.insert("customers", customer(i + 1).with("age", ages[i]));
            }

            assertThat(counts(h, Mart.CUSTOMERS_BY_AGE, "age_band")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "<18", 2L, "18-24", 2L, "25-34", 2L, "35-44", 2L, "45-54", 2L, "55-64", 2L, "65+", 2L));
        }
    }

    @Test
    void updatesMoveCustomersBetweenRowsAndTheLastOneDeletesTheRow() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1).with("age", 30).with("country", " France "));
            h.insert("customers", customer(2).with("age", 31).with("country", "Japan"));
            assertRow(h.martRow(Mart.CUSTOMERS_BY_AGE, "{\"age_band\":\"25-34\"}"), "age_band", "25-34", "customers", 2);
            assertRow(h.martRow(Mart.CUSTOMERS_BY_COUNTRY, "{\"country\":\"France\"}"), "country", "France", "customers", 1);

            h.update("customers", customer(1).with("age", 70).with("country", "Japan"));
            assertThat(counts(h, Mart.CUSTOMERS_BY_AGE, "age_band")).isEqualTo(Map.of("25-34", 1L, "65+", 1L));
            assertThat(counts(h, Mart.CUSTOMERS_BY_COUNTRY, "country")).isEqualTo(Map.of("Japan", 2L));

            h.delete("customers", customer(2));
            h.delete("customers", customer(1));
            assertThat(h.mart(Mart.CUSTOMERS_BY_AGE)).isEmpty();
            assertThat(h.mart(Mart.CUSTOMERS_BY_COUNTRY)).isEmpty();
        }
    }

    @Test
    void onlyStagedCustomersCount() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1).with("email", "not-an-email"));
            assertThat(h.mart(Mart.CUSTOMERS_BY_COUNTRY)).isEmpty();

            h.update("customers", customer(1));
            assertThat(counts(h, Mart.CUSTOMERS_BY_COUNTRY, "country")).isEqualTo(Map.of("France", 1L));

            h.update("customers", customer(1).with("full_name", ""));
            assertThat(h.mart(Mart.CUSTOMERS_BY_COUNTRY)).isEmpty();
            assertThat(h.mart(Mart.CUSTOMERS_BY_AGE)).isEmpty();
        }
    }
}
