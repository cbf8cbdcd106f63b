package io.cdcmarts.sink.duckdb;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnTypesTest {

    private static ColumnTypes.Change change(DuckType held, DuckType incoming) {
        return ColumnTypes.widen(held, incoming);
    }

    @Test
    void aWideningChangeGivesTheColumnTheSourcesNewType() {
        assertThat(change(DuckType.INTEGER, DuckType.BIGINT)).isEqualTo(new ColumnTypes.Change(DuckType.BIGINT, true));
        assertThat(change(DuckType.SMALLINT, DuckType.INTEGER)).isEqualTo(new ColumnTypes.Change(DuckType.INTEGER, true));
        assertThat(change(DuckType.decimal(10, 2), DuckType.decimal(12, 4))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(12, 4), true));
        assertThat(change(DuckType.FLOAT, DuckType.DOUBLE)).isEqualTo(new ColumnTypes.Change(DuckType.DOUBLE, true));
        assertThat(change(DuckType.INTEGER, DuckType.decimal(12, 2))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(12, 2), true));
        assertThat(change(DuckType.BIGINT, DuckType.VARCHAR)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
        assertThat(change(DuckType.TIMESTAMP, DuckType.VARCHAR)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
        assertThat(change(DuckType.INTEGER_LIST, DuckType.BIGINT_LIST)).isEqualTo(new ColumnTypes.Change(DuckType.BIGINT_LIST, true));
    }

    @Test
    void aNarrowingChangeKeepsTheWiderDuckDbType() {
        assertThat(change(DuckType.BIGINT, DuckType.INTEGER)).isEqualTo(new ColumnTypes.Change(DuckType.BIGINT, true));
        assertThat(change(DuckType.decimal(12, 4), DuckType.decimal(10, 2))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(12, 4), true));
        assertThat(change(DuckType.DOUBLE, DuckType.FLOAT)).isEqualTo(new ColumnTypes.Change(DuckType.DOUBLE, true));
        // varchar(n) -> text and back are both VARCHAR: nothing to change
        assertThat(change(DuckType.VARCHAR, DuckType.VARCHAR)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
        assertThat(change(DuckType.decimal(20, 0), DuckType.BIGINT)).isEqualTo(new ColumnTypes.Change(DuckType.decimal(20, 0), true));
        assertThat(change(DuckType.BIGINT, DuckType.decimal(18, 0))).isEqualTo(new ColumnTypes.Change(DuckType.BIGINT, true));
    }

    @Test
    void textChangedToANumberStaysVarcharHoldingTheNumbersExactText() {
        assertThat(change(DuckType.VARCHAR, DuckType.INTEGER)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
        assertThat(change(DuckType.VARCHAR, DuckType.decimal(10, 2))).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
        assertThat(ValueConverter.convert("t", io.cdcmarts.common.Json.MAPPER.valueToTree(new BigDecimal("0.0000001")), null, DuckType.VARCHAR))
                .isEqualTo("0.0000001");
    }

    @Test
    void aKeyColumnKeepsItsRowsOnlyWhereNoKeyValueCanChange() {
        assertThat(ColumnTypes.widenKey(DuckType.INTEGER, DuckType.BIGINT)).isEqualTo(new ColumnTypes.Change(DuckType.BIGINT, true));
        assertThat(ColumnTypes.widenKey(DuckType.BIGINT, DuckType.INTEGER)).isEqualTo(new ColumnTypes.Change(DuckType.BIGINT, true));
        assertThat(ColumnTypes.widenKey(DuckType.decimal(10, 2), DuckType.decimal(12, 4))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(12, 4), true));
        // PostgreSQL rounds 3.2501 to 3.25, turns '0042' into 42 and 42 into '42': the rows are sent again under their new keys
        assertThat(ColumnTypes.widenKey(DuckType.decimal(12, 4), DuckType.decimal(10, 2))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(10, 2), false));
        assertThat(ColumnTypes.widenKey(DuckType.VARCHAR, DuckType.INTEGER)).isEqualTo(new ColumnTypes.Change(DuckType.INTEGER, false));
        assertThat(ColumnTypes.widenKey(DuckType.INTEGER, DuckType.VARCHAR)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, false));
        assertThat(ColumnTypes.widenKey(DuckType.VARCHAR, DuckType.VARCHAR)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
    }

    @Test
    void twoTypesNeitherOfWhichHoldsTheOtherJoinInAThird() {
        // numeric(10,4) -> numeric(12,2): six integer digits and four fraction digits
        assertThat(change(DuckType.decimal(10, 4), DuckType.decimal(12, 2))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(14, 4), true));
        assertThat(change(DuckType.BIGINT, DuckType.decimal(5, 2))).isEqualTo(new ColumnTypes.Change(DuckType.decimal(21, 2), true));
        assertThat(change(DuckType.INTEGER, DuckType.FLOAT)).isEqualTo(new ColumnTypes.Change(DuckType.DOUBLE, true));
        // beyond DuckDB's 38 digits: the exact text
        assertThat(change(DuckType.decimal(38, 0), DuckType.decimal(38, 10))).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, true));
    }

    @Test
    void anIncompatibleChangeFollowsTheSourceAndSaysItIsNotExact() {
        assertThat(change(DuckType.INTEGER, DuckType.TIMESTAMP)).isEqualTo(new ColumnTypes.Change(DuckType.TIMESTAMP, false));
        assertThat(change(DuckType.BIGINT, DuckType.DOUBLE)).isEqualTo(new ColumnTypes.Change(DuckType.DOUBLE, false));
        assertThat(change(DuckType.VARCHAR_LIST, DuckType.VARCHAR)).isEqualTo(new ColumnTypes.Change(DuckType.VARCHAR, false));
    }

    @Test
    void theJoinDoesNotDependOnTheOrderTheVersionsArriveIn() {
        List<DuckType> types = List.of(DuckType.SMALLINT, DuckType.INTEGER, DuckType.BIGINT, DuckType.FLOAT, DuckType.DOUBLE,
                DuckType.decimal(10, 2), DuckType.decimal(12, 4), DuckType.decimal(5, 0), DuckType.VARCHAR);
        for (DuckType a : types) {
            for (DuckType b : types) {
                ColumnTypes.Change ab = change(a, b);
                ColumnTypes.Change ba = change(b, a);
                if (ab.exact() && ba.exact()) {
                    assertThat(ab.type()).as(a + " then " + b).isEqualTo(ba.type());
                }
            }
        }
    }

    @Test
    void valuesReadForTheOldTypeCarryOverExactlyWhereTheChangeIsExact() {
        assertThat(ColumnTypes.carry(5, DuckType.INTEGER, DuckType.BIGINT)).isEqualTo(5L);
        assertThat(ColumnTypes.carry(new BigDecimal("3.25"), DuckType.decimal(10, 2), DuckType.decimal(12, 4))).isEqualTo(new BigDecimal("3.2500"));
        assertThat(ColumnTypes.carry(7, DuckType.INTEGER, DuckType.decimal(12, 2))).isEqualTo(new BigDecimal("7.00"));
        assertThat(ColumnTypes.carry(1.1f, DuckType.FLOAT, DuckType.DOUBLE)).isEqualTo((double) 1.1f);
        assertThat(ColumnTypes.carry(new BigDecimal("0.10"), DuckType.decimal(10, 2), DuckType.VARCHAR)).isEqualTo("0.10");
        assertThat(ColumnTypes.carry(42L, DuckType.BIGINT, DuckType.VARCHAR)).isEqualTo("42");
        assertThat(ColumnTypes.carry(null, DuckType.INTEGER, DuckType.BIGINT)).isNull();
    }

    @Test
    void aValueThatDoesNotCarryOverBecomesNullForTheResentTableToReplace() {
        assertThat(ColumnTypes.carry("abc", DuckType.VARCHAR, DuckType.INTEGER)).isNull();
        assertThat(ColumnTypes.carry(1.5d, DuckType.DOUBLE, DuckType.decimal(10, 2))).isNull();
        assertThat(ColumnTypes.carry(new BigDecimal("1.005"), DuckType.decimal(10, 3), DuckType.decimal(10, 2))).isNull();
    }
}
