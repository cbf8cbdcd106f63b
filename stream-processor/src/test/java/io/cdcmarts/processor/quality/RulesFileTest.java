package io.cdcmarts.processor.quality;

import io.cdcmarts.processor.quality.RulesFile.RulesFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules file: each kind of change, and a clear message for each kind of mistake. */
class RulesFileTest {

    private static RuleSet apply(String... lines) {
        return RulesFile.apply("rules.properties", List.of(lines), StagingRules.DEFAULTS);
    }

    private static List<String> checksOf(TableRules rules, String column) {
        return rules.checks().stream().filter(c -> c.column().equals(column)).map(Check::name).toList();
    }

    @Test
    void anEmptyFileKeepsTheBuiltInRules() {
        // Given only comments and blank lines
        RuleSet rules = apply("# nothing changed", "", "   ");
        // Then every table has exactly its built-in checks
        assertThat(rules.tables()).isEqualTo(StagingRules.ALL);
        assertThat(rules.source()).isEqualTo("rules.properties");
    }

    @Test
    void aCheckTurnedOffIsGoneAndTheOthersKeepTheirOrder() {
        RuleSet rules = apply("customers.email.pattern = off");
        assertThat(rules.customers().checks()).extracting(Check::name).containsExactly(
                "not_null", "not_blank", "not_null", "not_null", "not_blank", "min", "max");
        assertThat(checksOf(rules.customers(), "email")).containsExactly("not_null");
    }

    @Test
    void aChangedParameterReplacesTheCheckInPlace() {
        RuleSet rules = apply("customers.age.max = 60   # retirement", "products.category.accepted_values = hoodies, shoes");
        Check max = rules.customers().checks().get(7);
        assertThat(max).isEqualTo(new Check.Max("age", new BigDecimal("60")));
        assertThat(rules.products().checks()).contains(new Check.AcceptedValues("category", List.of("hoodies", "shoes")));
        assertThat(rules.products().checks()).hasSize(StagingRules.PRODUCT_RULES.checks().size());
    }

    @Test
    void aCheckTheColumnLackedIsAddedAfterTheBuiltInOnes() {
        RuleSet rules = apply("order_items.quantity.max = 100", "customers.age.not_null = on");
        assertThat(rules.orderItems().checks()).extracting(Check::name).containsExactly("positive", "positive", "max");
        assertThat(checksOf(rules.customers(), "age")).containsExactly("min", "max", "not_null");
    }

    @Test
    void aPatternMayContainAHash() {
        RuleSet rules = apply("products.sku.pattern = ^SKU-[0-9#]+$");
        Check.Matches pattern = (Check.Matches) rules.products().checks().get(rules.products().checks().size() - 1);
        assertThat(pattern.regex().pattern()).isEqualTo("^SKU-[0-9#]+$");
    }

    @Test
    void theSizeRuleTakesItsParameters() {
        RuleSet rules = apply("product_variants.size.size_matches_category.lettered = XS, S, M, L, XL",
                "product_variants.size.size_matches_category.numeric_range = 30-50",
                "product_variants.size.size_matches_category.numeric_category = boots");
        assertThat(rules.productVariants().checks().get(0)).isEqualTo(
                new Check.SizeMatchesCategory("size", "boots", 30, 50, List.of("XS", "S", "M", "L", "XL")));
        assertThat(apply("product_variants.size.size_matches_category = off").productVariants().checks())
                .extracting(Check::name).doesNotContain("size_matches_category");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no equals sign                | customers.age.max 60                    | (customers.age.max 60): expected <table>.<column>.<check> = <value>",
            "unknown table                 | shoppers.age.max = 60                   | unknown table 'shoppers'",
            "unknown column                | customers.height.max = 60               | table customers has no column 'height'",
            "unknown check                 | customers.age.between = 1               | unknown check 'between'",
            "not a number                  | customers.age.max = sixty               | 'sixty' is not a number",
            "min on text                   | customers.email.min = 3                 | min and max need a numeric column, email is text",
            "pattern on a number           | customers.age.pattern = ^1              | pattern needs a text column, age is int32",
            "bad regex                     | customers.email.pattern = ^[a-z         | not a valid regular expression",
            "switch with a parameter       | customers.age.not_null = yes            | 'yes' is not valid: not_null is 'on' or 'off'",
            "off what is not there         | orders.status.not_null = off            | there is no not_null check on orders.status to turn off",
            "value cleaning cannot produce | products.category.accepted_values = Shoes | 'Shoes' can never match: category is compared after cleaning, write 'shoes'",
            "valid_type                    | customers.age.valid_type = off          | valid_type cannot be changed",
            "empty value                   | customers.age.max =                     | no value; use 'off' to turn the check off",
            "bad range                     | product_variants.size.size_matches_category.numeric_range = 48-35 | the range 48-35 is empty",
            "unknown size parameter        | product_variants.size.size_matches_category.sizes = S | unknown parameter 'sizes'",
    })
    void aMistakeNamesTheFileTheLineTheKeyAndTheReason(String what, String line, String reason) {
        assertThatThrownBy(() -> apply("# a comment", line))
                .isInstanceOf(RulesFileException.class)
                .hasMessageStartingWith("rules file rules.properties, line 2 (")
                .hasMessageContaining(reason);
    }

    @Test
    void aKeySetTwiceIsAMistake() {
        assertThatThrownBy(() -> apply("customers.age.max = 60", "customers.age.max = 70"))
                .isInstanceOf(RulesFileException.class)
                .hasMessage("rules file rules.properties, line 2 (customers.age.max): already set on line 1");
    }

    @Test
    void readsAFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.properties");
        Files.writeString(file, "orders.status.accepted_values = pending, paid\n");
        assertThat(RulesFile.read(file).orders().checks())
                .contains(new Check.AcceptedValues("status", List.of("pending", "paid")));
        assertThatThrownBy(() -> RulesFile.read(dir.resolve("missing.properties")))
                .isInstanceOf(RulesFileException.class)
                .hasMessage("rules file " + dir.resolve("missing.properties") + " does not exist");
    }
}
