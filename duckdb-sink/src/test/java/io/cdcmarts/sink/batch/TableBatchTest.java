package io.cdcmarts.sink.batch;

import io.cdcmarts.sink.duckdb.TableRef;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableBatchTest {

    private final TableBatch batch = new TableBatch(new TableRef("raw", "products"));

    private static BitSet bits(int... positions) {
        BitSet b = new BitSet();
        for (int p : positions) {
            b.set(p);
        }
        return b;
    }

    private List<RowChange> changes() {
        return List.copyOf(batch.changes());
    }

    @Test
    void theLastImageOfAKeyWins() {
        batch.upsert(new RowKey(1L), new Object[]{1L, "a"}, null);
        batch.upsert(new RowKey(2L), new Object[]{2L, "x"}, null);
        batch.upsert(new RowKey(1L), new Object[]{1L, "b"}, null);
        batch.upsert(new RowKey(1L), new Object[]{1L, "c"}, null);

        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.received()).isEqualTo(4);
        assertThat(changes()).extracting(c -> c.row()[1]).containsExactly("x", "c");
    }

    @Test
    void aToastPlaceholderTakesTheValueOfAnEarlierImageInTheBatch() {
        batch.upsert(new RowKey(1L), new Object[]{1L, "long description", 10}, null);
        batch.upsert(new RowKey(1L), new Object[]{1L, null, 11}, bits(1));

        RowChange c = changes().get(0);
        assertThat(c.row()).containsExactly(1L, "long description", 11);
        assertThat(c.hasUnavailable()).isFalse();
    }

    @Test
    void aPlaceholderWithoutAnEarlierValueStaysUnavailableForTheStoredRow() {
        batch.upsert(new RowKey(1L), new Object[]{1L, null, 10}, bits(1));
        batch.upsert(new RowKey(1L), new Object[]{1L, null, 11}, bits(1));

        RowChange c = changes().get(0);
        assertThat(c.row()).containsExactly(1L, null, 11);
        assertThat(c.isUnavailable(1)).isTrue();
        assertThat(batch.unavailableColumns()).isEqualTo(bits(1));
    }

    @Test
    void theUnavailableColumnsAreThoseOfTheChangesThatRemain() {
        batch.upsert(new RowKey(1L), new Object[]{1L, null, "kept"}, bits(1));
        batch.upsert(new RowKey(2L), new Object[]{2L, "p", null}, bits(2));
        assertThat(batch.unavailableColumns()).isEqualTo(bits(1, 2));

        batch.delete(new RowKey(2L), new Object[]{2L, null, null});
        assertThat(batch.unavailableColumns()).isEqualTo(bits(1));

        batch.upsert(new RowKey(3L), new Object[]{3L, "q", null}, bits(2));
        batch.truncate();
        batch.upsert(new RowKey(1L), new Object[]{1L, "full", "image"}, null);
        assertThat(batch.unavailableColumns()).isEqualTo(new BitSet());
    }

    @Test
    void aDeleteAfterAnUpsertDeletesAndAnUpsertAfterADeleteUpserts() {
        batch.upsert(new RowKey(1L), new Object[]{1L, "a"}, null);
        batch.delete(new RowKey(1L), new Object[]{1L, null});
        batch.delete(new RowKey(2L), new Object[]{2L, null});
        batch.upsert(new RowKey(2L), new Object[]{2L, "again"}, null);

        assertThat(changes()).extracting(RowChange::delete).containsExactly(true, false);
        assertThat(changes().get(1).row()).containsExactly(2L, "again");
    }

    @Test
    void aTruncateDropsWhatCameBeforeIt() {
        batch.upsert(new RowKey(1L), new Object[]{1L, "a"}, null);
        batch.truncate();
        batch.upsert(new RowKey(2L), new Object[]{2L, "b"}, null);

        assertThat(batch.truncated()).isTrue();
        assertThat(changes()).extracting(c -> c.key().part(0)).containsExactly(2L);
    }

    @Test
    void keysCompareByValueIncludingBytes() {
        batch.upsert(new RowKey(new byte[]{1, 2}, "k"), new Object[]{"first"}, null);
        batch.upsert(new RowKey(new byte[]{1, 2}, "k"), new Object[]{"second"}, null);

        assertThat(batch.size()).isEqualTo(1);
        assertThat(changes().get(0).row()).containsExactly("second");
    }
}
