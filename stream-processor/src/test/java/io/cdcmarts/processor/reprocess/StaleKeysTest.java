package io.cdcmarts.processor.reprocess;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which keys of a compacted output partition a reprocess leaves stale. */
class StaleKeysTest {

    private static byte[] key(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> stale(StaleKeys keys) {
        return keys.stale().stream().map(b -> new String(b, StandardCharsets.UTF_8)).sorted().toList();
    }

    @Test
    void aValueWrittenBeforeTheMarkAndNotAgainIsStale() {
        // Given a partition with offsets 0..3 before the reprocess (mark 4)
        StaleKeys keys = new StaleKeys(4);
        keys.add(key("{\"id\":1}"), 0, false);
        keys.add(key("{\"id\":2}"), 1, false);
        keys.add(key("{\"id\":3}"), 2, false);
        keys.add(key("{\"id\":4}"), 3, true);
        // When the reprocess writes key 1 again with the same value, and key 2 again as a tombstone
        keys.add(key("{\"id\":1}"), 5, false);
        keys.add(key("{\"id\":2}"), 6, true);
        // Then only key 3 is stale: 1 was re-emitted (same value or not), 2 is retracted, 4 is already gone
        assertThat(stale(keys)).containsExactly("{\"id\":3}");
    }

    @Test
    void aKeyCreatedAndDeletedDuringTheReprocessIsNotStale() {
        StaleKeys keys = new StaleKeys(2);
        keys.add(key("{\"id\":1}"), 0, false);
        keys.add(key("{\"id\":1}"), 3, false);
        keys.add(key("{\"id\":1}"), 4, true);
        keys.add(key("{\"id\":9}"), 5, false);
        keys.add(key("{\"id\":9}"), 6, true);
        assertThat(keys.stale()).isEmpty();
    }

    @Test
    void keysAreComparedByTheirBytes() {
        // Given the same key bytes in two distinct arrays, the later one written by the reprocess
        StaleKeys keys = new StaleKeys(1);
        keys.add(key("{\"day\":\"2024-03-01\"}"), 0, false);
        keys.add(key("{\"day\":\"2024-03-01\"}"), 1, false);
        assertThat(keys.stale()).isEmpty();
    }

    @Test
    void anEmptyPartitionOrNullKeysGiveNothing() {
        StaleKeys keys = new StaleKeys(10);
        keys.add(null, 0, false);
        assertThat(keys.stale()).isEmpty();
    }
}
