package io.cdcmarts.capture.generated;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerationExpressionTest {

    private static final Map<String, PgType> COLUMNS = Map.of(
            "quantity", PgType.of("int4"),
            "unit_price", PgType.numeric(10, 2),
            "discount", PgType.numeric(10, 2),
            "weight", PgType.of("float8"),
            "big", PgType.of("int8"),
            "Qty", PgType.of("int4"),
            "name", PgType.of("text"));

    private static BigDecimal eval(String expression, PgType result, Map<String, BigDecimal> values) {
        return GenerationExpression.compile(expression, COLUMNS, result).evaluate(values::get);
    }

    private static Map<String, BigDecimal> row(Object... pairs) {
        Map<String, BigDecimal> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1] == null ? null : new BigDecimal(pairs[i + 1].toString()));
        }
        return m;
    }

    @Test
    void seedTotalPriceAsPgGetExprPrintsIt() {
        GenerationExpression e = GenerationExpression.compile("((quantity)::numeric * unit_price)", COLUMNS,
                PgType.numeric(12, 2));

        assertThat(e.columns()).containsExactly("quantity", "unit_price");
        assertThat(e.evaluate(row("quantity", 3, "unit_price", "19.99")::get)).isEqualTo(new BigDecimal("59.97"));
        assertThat(e.evaluate(row("quantity", 7, "unit_price", "1234.56")::get)).isEqualTo(new BigDecimal("8641.92"));
    }

    @Test
    void resultTakesTheColumnScaleRoundingHalfAwayFromZero() {
        PgType money = PgType.numeric(12, 2);

        assertThat(eval("(unit_price * 1.075)", money, row("unit_price", "2.10"))).isEqualTo(new BigDecimal("2.26"));
        assertThat(eval("(unit_price * 1.075)", money, row("unit_price", "-2.10"))).isEqualTo(new BigDecimal("-2.26"));
        assertThat(eval("(unit_price * 1.075)", money, row("unit_price", "1.25"))).isEqualTo(new BigDecimal("1.34"));
        assertThat(eval("quantity", money, row("quantity", 4))).isEqualTo(new BigDecimal("4.00"));
    }

    @ParameterizedTest
    @CsvSource({
            "(quantity / 2), 7, 3",
            "(quantity / 2), -7, -3",
            "((- quantity) + 10), 4, 6",
            "(- (quantity * 3)), 4, -12",
            "((quantity + 1) * (quantity - 1)), 5, 24",
            "(quantity - (2 * quantity)), 5, -5",
            "(quantity / 2 * 2), 5, 4",
    })
    void integerArithmeticFollowsPostgres(String expression, int quantity, long expected) {
        assertThat(eval(expression, PgType.of("int4"), row("quantity", quantity))).isEqualTo(BigDecimal.valueOf(expected));
    }

    @Test
    void numericDivisionKeepsPostgresScaleBeforeRoundingToTheColumn() {
        // PostgreSQL: 10.00 / 3 = 3.3333333333333333 (16 significant digits, select_div_scale)
        assertThat(eval("(unit_price / (3)::numeric)", PgType.of("numeric"), row("unit_price", "10.00")))
                .isEqualTo(new BigDecimal("3.3333333333333333"));
        assertThat(eval("(unit_price / (3)::numeric)", PgType.numeric(12, 4), row("unit_price", "10.00")))
                .isEqualTo(new BigDecimal("3.3333"));
        assertThat(GenerationExpression.divideNumeric(new BigDecimal("1"), new BigDecimal("3")))
                .isEqualTo(new BigDecimal("0.33333333333333333333"));
        assertThat(GenerationExpression.divideNumeric(new BigDecimal("20000"), new BigDecimal("3")))
                .isEqualTo(new BigDecimal("6666.6666666666666667"));
    }

    @Test
    void castsConvertAsPostgresDoes() {
        assertThat(eval("((quantity)::numeric / (7)::numeric)::numeric(10,3)", PgType.numeric(12, 3), row("quantity", 10)))
                .isEqualTo(new BigDecimal("1.429"));
        assertThat(eval("(unit_price)::integer", PgType.of("int4"), row("unit_price", "2.50"))).isEqualTo(BigDecimal.valueOf(3));
        assertThat(eval("(unit_price)::integer", PgType.of("int4"), row("unit_price", "-2.50"))).isEqualTo(BigDecimal.valueOf(-3));
        assertThat(eval("('1.5'::numeric * unit_price)", PgType.numeric(12, 2), row("unit_price", "3.33")))
                .isEqualTo(new BigDecimal("5.00"));
        assertThat(eval("(weight * (2.2)::double precision)", PgType.of("float8"), row("weight", "1.5")))
                .isEqualByComparingTo("3.3000000000000003");
        assertThat(eval("(big * 1000)", PgType.of("int8"), row("big", "9000000000"))).isEqualTo(new BigDecimal("9000000000000"));
        assertThat(eval("(\"Qty\" * 2)", PgType.of("int4"), row("Qty", 21))).isEqualTo(BigDecimal.valueOf(42));
        assertThat(eval("(unit_price - discount)::numeric(10,1)", PgType.numeric(10, 1), row("unit_price", "5.00", "discount", "0.05")))
                .isEqualTo(new BigDecimal("5.0"));
    }

    @Test
    void nullInputGivesNullAndDivisionByZeroGivesNull() {
        assertThat(eval("((quantity)::numeric * unit_price)", PgType.numeric(12, 2), row("quantity", null, "unit_price", "1.00")))
                .isNull();
        assertThat(eval("(unit_price / discount)", PgType.numeric(12, 2), row("unit_price", "1.00", "discount", "0.00")))
                .isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "round(unit_price);calls the function round()",
            "CASE WHEN (quantity > 1) THEN unit_price ELSE discount END;uses CASE",
            "COALESCE(discount, 0);calls the function coalesce()",
            "(quantity || 'x');uses the operator ||",
            "(quantity % 2);uses the operator %",
            "length(name);calls the function length()",
            "(missing * 2);refers to the unknown column missing",
            "(name)::integer;reads the text column name",
            "(quantity)::text;casts to text",
            "'abc';not a number",
            "(unit_price * 'abc'::numeric);not a number",
            "('abc' * unit_price);without a numeric cast",
            "(quantity * 2;expected ')'",
    })
    void expressionsOutsideTheSubsetAreRefusedWithTheReason(String expression, String reason) {
        assertThatThrownBy(() -> GenerationExpression.compile(expression, COLUMNS, PgType.numeric(12, 2)))
                .isInstanceOf(UntranslatableExpressionException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aColumnOfANonNumericTypeCannotBeComputed() {
        assertThatThrownBy(() -> GenerationExpression.compile("name", COLUMNS, PgType.of("text")))
                .isInstanceOf(UntranslatableExpressionException.class)
                .hasMessageContaining("text");
    }

    @Test
    void catalogTypmodGivesNumericPrecisionAndScale() {
        // numeric(12,2): typmod = ((12 << 16) | 2) + 4
        PgType t = PgType.fromCatalog("numeric", ((12 << 16) | 2) + 4);

        assertThat(t).isEqualTo(PgType.numeric(12, 2));
        assertThat(t.sql()).isEqualTo("numeric(12,2)");
        assertThat(PgType.fromCatalog("numeric", -1).hasScale()).isFalse();
        assertThat(PgType.fromCatalog("int4", -1).sql()).isEqualTo("integer");
    }
}
