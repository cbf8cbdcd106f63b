package io.cdcmarts.generator;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CatalogTest {

    private final Random rng = new Random(1);

    @Test
    void pricesAreWholeCentsInTheTutorialsRanges() {
        for (int i = 0; i < 10_000; i++) {
            BigDecimal manufacturing = Catalog.manufacturingPrice(rng);
            BigDecimal selling = Catalog.sellingPrice(rng, manufacturing);
            BigDecimal unit = Catalog.unitPrice(rng);

            assertThat(manufacturing.scale()).isEqualTo(2);
            assertThat(selling.scale()).isEqualTo(2);
            assertThat(unit.scale()).isEqualTo(2);
            assertThat(manufacturing).isBetween(new BigDecimal("10.00"), new BigDecimal("80.00"));
            assertThat(unit).isBetween(new BigDecimal("20.00"), new BigDecimal("200.00"));
            assertThat(selling).isBetween(manufacturing.multiply(new BigDecimal("1.2")).setScale(2, java.math.RoundingMode.HALF_UP),
                    manufacturing.multiply(new BigDecimal("2.0")).setScale(2, java.math.RoundingMode.HALF_UP));
        }
    }

    @Test
    void nudgedPricesStayPositive() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(Catalog.nudge(rng, new BigDecimal("0.01"), 0.5)).isPositive();
            assertThat(Catalog.nudge(rng, new BigDecimal("-3.00"), 0.1)).isEqualByComparingTo("0.01");
        }
    }

    @Test
    void statusesFollowTheTutorialsWeights() {
        Map<String, Integer> counts = new HashMap<>();
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(Catalog.weightedStatus(rng), 1, Integer::sum);
        }

        assertThat(counts.get("pending") / (double) draws).isCloseTo(0.2, within(0.01));
        assertThat(counts.get("paid") / (double) draws).isCloseTo(0.5, within(0.01));
        assertThat(counts.get("cancelled") / (double) draws).isCloseTo(0.1, within(0.01));
        assertThat(counts.get("shipped") / (double) draws).isCloseTo(0.2, within(0.01));
    }

    @Test
    void validAndChaosSizesNeverOverlapForACategory() {
        for (String category : Catalog.CATEGORIES) {
            for (int i = 0; i < 200; i++) {
                String valid = Catalog.validSize(rng, category);
                String invalid = Catalog.invalidSize(rng, category);
                if (category.equals("shoes")) {
                    assertThat(Catalog.SHOE_SIZES).contains(valid).doesNotContain(invalid);
                } else {
                    assertThat(Catalog.LETTER_SIZES).contains(valid).doesNotContain(invalid);
                }
            }
        }
        assertThat(Catalog.isShoes("  Shoes ")).as("the category as staging cleans it").isTrue();
    }

    @Test
    void sampledVariantsAreDistinctWhetherFewOrMost() {
        int[] out = new int[10];
        for (int[] nk : new int[][]{{500, 5}, {10, 10}, {7, 5}, {1, 1}}) {
            for (int i = 0; i < 500; i++) {
                BulkGenerator.sampleDistinct(rng, nk[0], nk[1], out);
                int[] picked = Arrays.copyOf(out, nk[1]);
                assertThat(Arrays.stream(picked).distinct().count()).isEqualTo(nk[1]);
                assertThat(Arrays.stream(picked).allMatch(p -> p >= 0 && p < nk[0])).isTrue();
            }
        }
    }

    @Test
    void eachUseGetsItsOwnSeed() {
        assertThat(Seeds.derive(42, Seeds.CUSTOMER_FAKER)).isNotEqualTo(Seeds.derive(42, Seeds.PRODUCT_FAKER))
                .isEqualTo(Seeds.derive(42, Seeds.CUSTOMER_FAKER))
                .isNotEqualTo(Seeds.derive(43, Seeds.CUSTOMER_FAKER));
    }

    @Test
    void copyTextEscapesWhatCopyWouldMisread() throws Exception {
        CopyWriter copy = CopyWriter.buffered();

        copy.number(1).text("tab\there").text("back\\slash").text("new\nline").text(null).money(new BigDecimal("12.50"))
                .bool(true).endRow();

        assertThat(copy.contents()).isEqualTo("1\ttab\\there\tback\\\\slash\tnew\\nline\t\\N\t12.50\tt\n");
        assertThat(copy.rows()).isEqualTo(1);
    }

    @Test
    void ordinaryWeightsAddUpToHundred() {
        assertThat(EventKind.ordinary().stream().mapToInt(EventKind::weight).sum()).isEqualTo(100);
        assertThat(EventKind.chaotic()).doesNotContain(EventKind.FIX).allMatch(EventKind::chaos);
    }
}
