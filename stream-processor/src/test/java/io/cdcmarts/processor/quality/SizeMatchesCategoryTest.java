package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;

/** The cross-table size rule: a foreign-key join of variants to their raw product. */
class SizeMatchesCategoryTest {

    @ParameterizedTest(name = "{0} size ''{1}'' passes: {2}")
    @CsvSource(delimiter = '|', value = {
            "shoes       | 35     | true",
            "shoes       | 48     | true",
            "shoes       | ' 42 ' | true",
            "shoes       | 34     | false",
            "shoes       | 49     | false",
            "shoes       | 40.5   | false",
            "shoes       | M      | false",
            "' Shoes '   | 40     | true",
            "t-shirts    | S      | true",
            "hoodies     | m      | true",
            "jackets     | ' xl ' | true",
            "accessories | L      | true",
            "t-shirts    | 42     | false",
            "t-shirts    | XXL    | false",
            "gadgets     | M      | true",
            "gadgets     | 40     | false"})
    void sizeMustMatchTheProductsCleanedCategory(String category, String size, boolean passes) {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("products", product(10, category));
            h.insert("product_variants", variant(100, 10, size, "10.00"));

            assertThat(h.stg("product_variants", 100) != null).isEqualTo(passes);
            assertThat(h.deadLetters("product_variants")).hasSize(passes ? 0 : 1);
        }
    }

    @Test
    void aNullSizeFailsForEveryCategory() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("products", product(10, "shoes"));
            h.insert("products", product(11, "hoodies"));
            h.insert("product_variants", variant(100, 10, null, "10.00"));
            h.insert("product_variants", variant(101, 11, null, "10.00"));

            assertThat(h.stg("product_variants")).isEmpty();
            assertThat(h.deadLetters("product_variants")).extracting(dl -> dl.failures().get(0).check())
                    .containsExactly("size_matches_category", "size_matches_category");
        }
    }

    @Test
    void aVariantWaitsForItsProductNeitherStagedNorDeadLettered() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            // Given variants whose product is not known yet, one of them with a size that will be wrong
            h.insert("product_variants", variant(100, 10, "42", "10.00"));
            h.insert("product_variants", variant(101, 10, "M", "10.00"));
            // Then both wait
            assertThat(h.stg("product_variants")).isEmpty();
            assertThat(h.deadLetters("product_variants")).isEmpty();
            assertThat(h.openFailures()).isEmpty();

            // When the product arrives
            h.insert("products", product(10, "shoes"));
            // Then both are checked: one staged, one dead-lettered
            assertThat(h.stg("product_variants")).containsOnlyKeys("{\"id\":100}");
            assertThat(h.deadLetters("product_variants")).singleElement()
                    .satisfies(dl -> assertThat(dl.key().get("id").asLong()).isEqualTo(101));
            assertThat(h.openFailure("product_variants", 101)).isNotNull();

            // When the product is deleted, its variants wait again: out of staging, failure closed
            h.delete("products", product(10, "shoes"));
            assertThat(h.stg("product_variants")).isEmpty();
            assertThat(h.openFailures()).isEmpty();
        }
    }

    @Test
    void aProductThatChangesCategoryRechecksItsVariants() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            // Given a shoe product with a numeric size and a lettered size variant
            h.insert("products", product(10, "shoes"));
            h.insert("product_variants", variant(100, 10, "42", "10.00"));
            h.insert("product_variants", variant(101, 10, "M", "10.00"));
            assertThat(h.stg("product_variants")).containsOnlyKeys("{\"id\":100}");
            assertThat(h.deadLetters("product_variants")).hasSize(1);
            long since = h.lastSourceTs();

            // When the product becomes a hoodie
            h.update("products", product(10, "hoodies"));
            // Then the lettered variant enters staging and the numeric one leaves it, dead-lettered
            assertThat(h.stg("product_variants")).containsOnlyKeys("{\"id\":101}");
            assertThat(h.openFailure("product_variants", 101)).isNull();
            assertThat(h.openFailure("product_variants", 100)).isNotNull();
            assertThat(h.deadLetters("product_variants")).hasSize(2)
                    .last().satisfies(dl -> assertThat(dl.key().get("id").asLong()).isEqualTo(100));

            // When the product's name changes (not its category), nothing is re-dead-lettered
            h.update("products", product(10, "hoodies").with("name", "Renamed"));
            assertThat(h.deadLetters("product_variants")).hasSize(2);
            assertThat(h.stg("product_variants")).containsOnlyKeys("{\"id\":101}");
            assertThat(since).isPositive();
        }
    }

    @Test
    void theCategoryIsReadFromTheRawProductEvenWhenTheProductIsQuarantined() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            // a product that fails its own checks (blank name) still gives its category to the rule
            h.insert("products", product(10, "shoes").with("name", " "));
            h.insert("product_variants", variant(100, 10, "40", "10.00"));

            assertThat(h.stg("products")).isEmpty();
            assertThat(h.stg("product_variants", 100)).isNotNull();
        }
    }

    @Test
    void aVariantMovedToAnotherProductIsRechecked() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("products", product(10, "shoes"));
            h.insert("products", product(11, "jackets"));
            h.insert("product_variants", variant(100, 10, "40", "10.00"));
            assertThat(h.stg("product_variants", 100)).isNotNull();

            h.update("product_variants", variant(100, 11, "40", "10.00"));

            assertThat(h.stg("product_variants", 100)).isNull();
            DeadLetter dl = h.deadLetters("product_variants").get(0);
            assertThat(dl.failures().get(0).message()).contains("S", "M", "L", "XL");
        }
    }
}
