package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Unit tests of the reading and cleaning of single values. */
class StagingTest {

    private static boolean parses(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T10:15:30.123456Z", "2024-03-01T10:15:30Z", "2024-03-01T10:15:30+02:00",
            "2024-03-01T10:15:30.1-05:30", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z",
            "2024-04-31T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T10:60:00Z", "2024-13-01T10:00:00Z",
            "2024-03-01T10:15Z", "2024-03-01 10:15:30Z", "2024-03-01T10:15:30", "2024-03-01T10:15:30.Z",
            "2024-03-01T10:15:30.1234567891Z", "2024-03-01T10:15:30+19:00", "2024-03-01T10:15:30+0200", "yesterday", "",
            "+12024-03-01T10:15:30Z", "2024-03-01T10:15:30.123456789Z"})
    void theFastTimestampCheckAgreesWithTheParser(String text) {
        assertThat(Staging.isTimestamp(text)).isEqualTo(parses(text));
    }

    @Test
    void theFastTimestampCheckAgreesWithTheParserOnMutations() {
        Random random = new Random(7);
        List<String> seeds = List.of("2024-03-01T10:15:30.123456Z", "2024-12-28T23:59:59+14:00", "1999-01-09T00:00:00-00:30");
        String alphabet = "0123456789-:T.Z+ ";
        for (int i = 0; i < 20_000; i++) {
            char[] chars = seeds.get(random.nextInt(seeds.size())).toCharArray();
            for (int m = 0, n = 1 + random.nextInt(2); m < n; m++) {
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String text = new String(chars);
            assertThat(Staging.isTimestamp(text)).as(text).isEqualTo(parses(text));
        }
    }

    @Test
    void decimalsKeepTheirDeclaredScaleWhenNothingIsLost() {
        ColumnDef price = StagingRules.ORDER_ITEM_RULES.column("unit_price").orElseThrow();
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);

        assertThat(Staging.read(price, nodes.numberNode(new java.math.BigDecimal("12.5"))).decimalValue().toPlainString())
                .isEqualTo("12.50");
        assertThat(Staging.read(price, nodes.numberNode(7)).decimalValue().toPlainString()).isEqualTo("7.00");
        assertThat(Staging.read(price, nodes.numberNode(new java.math.BigDecimal("12.3400"))).decimalValue().toPlainString())
                .as("trailing zeros lose nothing").isEqualTo("12.34");
        assertThat(Staging.read(price, nodes.numberNode(new java.math.BigDecimal("0E-40"))).decimalValue().toPlainString())
                .isEqualTo("0.00");
        assertThat(Staging.read(price, nodes.booleanNode(true))).as("wrong type").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.3456", "1.005", "0.001", "1E-1000000", "12345678901", "99999999.995", "1E+1000000"})
    void aDecimalThatDoesNotFitItsColumnIsUnreadableNeverRoundedOrPassedOn(String text) {
        ColumnDef price = StagingRules.ORDER_ITEM_RULES.column("unit_price").orElseThrow(); // DECIMAL(10,2)
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);

        assertThat(Staging.read(price, nodes.numberNode(new java.math.BigDecimal(text)))).isNull();
        assertThat(Staging.read(price, nodes.textNode(text))).as("as a decimal string").isNull();
    }

    @Test
    void theLargestAndSmallestDecimalsThatFitAreRead() {
        ColumnDef price = StagingRules.ORDER_ITEM_RULES.column("unit_price").orElseThrow(); // DECIMAL(10,2)
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);

        assertThat(Staging.read(price, nodes.numberNode(new java.math.BigDecimal("99999999.99"))).decimalValue())
                .isEqualByComparingTo("99999999.99");
        assertThat(Staging.read(price, nodes.numberNode(new java.math.BigDecimal("-0.01"))).decimalValue().toPlainString())
                .isEqualTo("-0.01");
    }

    @Test
    void theFailureSaysWhichBoundOfTheDecimalIsExceeded() {
        ColumnDef price = StagingRules.ORDER_ITEM_RULES.column("unit_price").orElseThrow();
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);

        assertThat(Staging.whyUnreadable(price, nodes.numberNode(new java.math.BigDecimal("12.3456"))))
                .isEqualTo("unit_price 12.3456 has more than 2 digits after the point of its DECIMAL(10,2)"
                        + " (it is not rounded: a stored value is the source's)");
        assertThat(Staging.whyUnreadable(price, nodes.numberNode(new java.math.BigDecimal("123456789.5"))))
                .isEqualTo("unit_price 123456789.5 has more than 8 digits before the point of its DECIMAL(10,2)");
        assertThat(Staging.whyUnreadable(price, nodes.textNode("cheap")))
                .isEqualTo("unit_price is not a valid decimal: \"cheap\"");
    }

    @Test
    void integersMustFitTheirColumn() {
        ColumnDef age = StagingRules.CUSTOMER_RULES.column("age").orElseThrow();
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);

        assertThat(Staging.read(age, nodes.numberNode(3_000_000_000L))).isNull();
        assertThat(Staging.read(age, nodes.numberNode(new java.math.BigDecimal("3.5")))).isNull();
        assertThat(Staging.read(age, nodes.numberNode(42)).intValue()).isEqualTo(42);
    }
}
