package io.cdcmarts.capture.publication;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TableDropsTest {

    @Test
    void aTableIsGoneWhenItIsAbsentOrThereUnderAnotherOid() {
        Map<String, Long> before = Map.of("kept", 1L, "dropped", 2L, "recreated", 3L);
        Map<String, Long> now = Map.of("kept", 1L, "recreated", 7L, "created", 8L);

        assertThat(TableDrops.gone(before, now)).containsExactly("dropped", "recreated");
        assertThat(TableDrops.gone(before, before)).isEmpty();
    }

    @Test
    void aTableRenamedIsGoneUnderItsOldNameAndNewUnderItsNewOne() {
        Map<String, Long> before = Map.of("kept", 1L, "old_name", 2L);
        Map<String, Long> now = Map.of("kept", 1L, "new_name", 2L, "created", 3L);

        assertThat(TableDrops.gone(before, now)).containsExactly("old_name");
        assertThat(TableDrops.renamed(before, now)).containsExactly("new_name");
        assertThat(TableDrops.renamed(before, before)).isEmpty();
    }

    @Test
    void onlyTheCaptureWhoseKeeperWroteTheMessageActsOnIt() {
        byte[] content = TableDrops.content("cdc_marts_shop", "items").getBytes(StandardCharsets.UTF_8);

        assertThat(TableDrops.table("cdc_marts_shop", content)).contains("items");
        assertThat(TableDrops.table("cdc_marts_other", content)).isEmpty();
        assertThat(TableDrops.table("cdc_marts_shop", "not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(TableDrops.table("cdc_marts_shop", "{\"publication\":\"cdc_marts_shop\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
