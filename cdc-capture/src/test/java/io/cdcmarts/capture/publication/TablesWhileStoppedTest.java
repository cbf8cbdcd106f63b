package io.cdcmarts.capture.publication;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TablesWhileStoppedTest {

    @Test
    void aTopicWhoseTableIsGoneOrNotInThePublicationAnyMoreIsMarkedAndARenamedOneSentWhole() {
        // kept: as capture left it; dropped: gone; again: dropped and created again (PostgreSQL took
        // the old one out of the publication); old_name renamed to new_name (the publication keeps it);
        // created: new while capture was stopped, never downstream
        Set<String> withTopic = Set.of("kept", "dropped", "again", "old_name");
        Set<String> existing = Set.of("kept", "again", "new_name", "created", "keyless");
        List<String> captured = List.of("kept", "again", "new_name", "created");
        Optional<Set<String>> published = Optional.of(Set.of("kept", "new_name"));

        TablesWhileStopped found = TablesWhileStopped.between(withTopic, existing, captured, published);

        assertThat(found.gone()).containsExactly("again", "dropped", "old_name");
        assertThat(found.unsent()).containsExactly("new_name");
    }

    @Test
    void nothingWhenEveryCapturedTableIsPublishedAndSent() {
        Set<String> tables = Set.of("a", "b");

        TablesWhileStopped found = TablesWhileStopped.between(tables, tables, List.of("a", "b"), Optional.of(tables));

        assertThat(found).isEqualTo(TablesWhileStopped.NONE);
    }

    @Test
    void withoutAPublicationOnlyTopicsOfMissingTablesAreGone() {
        TablesWhileStopped found = TablesWhileStopped.between(Set.of("a", "dropped"), Set.of("a", "b"), List.of("a", "b"),
                Optional.empty());

        assertThat(found.gone()).containsExactly("dropped");
        assertThat(found.unsent()).isEmpty();
    }
}
