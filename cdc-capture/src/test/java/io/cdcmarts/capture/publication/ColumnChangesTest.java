package io.cdcmarts.capture.publication;

import io.cdcmarts.capture.postgres.SourceColumn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnChangesTest {

    private static final SourceColumn ID = new SourceColumn(1, "id", "integer", false);
    private static final SourceColumn PRICE = new SourceColumn(2, "price", "numeric(12,4)", false);
    private static final SourceColumn NAME = new SourceColumn(3, "name", "character varying(5)", false);

    @Test
    void noChangeSendsNothingAgain() {
        ColumnChanges changes = ColumnChanges.between(List.of(ID, PRICE, NAME), List.of(NAME, ID, PRICE));

        assertThat(changes.resend()).isFalse();
    }

    @Test
    void aTypeChangeRewroteEveryValueSoTheTableIsSentAgain() {
        ColumnChanges changes = ColumnChanges.between(List.of(ID, PRICE),
                List.of(new SourceColumn(1, "id", "bigint", false), new SourceColumn(2, "price", "numeric(10,2)", false)));

        assertThat(changes.retyped()).containsExactly("id integer -> bigint", "price numeric(12,4) -> numeric(10,2)");
        assertThat(changes.resend()).isTrue();
    }

    @Test
    void textAndVarcharChangeIntoOneAnotherWithoutARewrite() {
        ColumnChanges changes = ColumnChanges.between(List.of(NAME), List.of(new SourceColumn(3, "name", "text", false)));

        assertThat(changes.resend()).isFalse();
    }

    @Test
    void aColumnAddedWithAValueInExistingRowsIsSentAgainOneWithoutIsNot() {
        ColumnChanges filled = ColumnChanges.between(List.of(ID), List.of(ID, new SourceColumn(4, "answer", "integer", true)));
        ColumnChanges empty = ColumnChanges.between(List.of(ID), List.of(ID, new SourceColumn(4, "note", "text", false)));

        assertThat(filled.filled()).containsExactly("answer");
        assertThat(empty.resend()).isFalse();
    }

    @Test
    void aRenameKeepsTheAttnumADropAndAddUnderTheSameNameDoesNot() {
        ColumnChanges renamed = ColumnChanges.between(List.of(ID, PRICE), List.of(ID, new SourceColumn(2, "cost", "numeric(12,4)", false)));
        ColumnChanges readded = ColumnChanges.between(List.of(ID, PRICE), List.of(ID, new SourceColumn(4, "price", "numeric(12,4)", true)));

        assertThat(renamed.renamed()).containsExactly("price -> cost");
        assertThat(renamed.retyped()).isEmpty();
        assertThat(readded.renamed()).isEmpty();
        assertThat(readded.filled()).containsExactly("price");
    }
}
