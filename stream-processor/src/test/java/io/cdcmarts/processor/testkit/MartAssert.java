package io.cdcmarts.processor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Exact comparison of one mart row: decimals by value and scale, counts, names, NULLs. */
public final class MartAssert {

    private MartAssert() {
    }

    /**
     * @param expected column, value pairs: a {@link BigDecimal} must match exactly (scale too), a
     *                 number as an integer, a String as text, null as NULL
     */
    public static void assertRow(ObjectNode row, Object... expected) {
        assertThat(row).as("the mart row exists").isNotNull();
        for (int i = 0; i < expected.length; i += 2) {
            String column = (String) expected[i];
            Object want = expected[i + 1];
            JsonNode actual = row.get(column);
            assertThat(actual).as("column %s of %s", column, row).isNotNull();
            if (want == null) {
                assertThat(actual.isNull()).as("%s is NULL in %s", column, row).isTrue();
            } else if (want instanceof BigDecimal d) {
                assertThat(actual.isNumber()).as("%s is a number in %s", column, row).isTrue();
                assertThat(actual.decimalValue()).as("%s in %s", column, row).isEqualTo(d);
            } else if (want instanceof Number n) {
                assertThat(actual.isIntegralNumber()).as("%s is an integer in %s", column, row).isTrue();
                assertThat(actual.longValue()).as("%s in %s", column, row).isEqualTo(n.longValue());
            } else {
                assertThat(actual.textValue()).as("%s in %s", column, row).isEqualTo(want.toString());
            }
        }
    }
}
