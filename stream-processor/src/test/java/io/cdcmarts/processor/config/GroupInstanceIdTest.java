package io.cdcmarts.processor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupInstanceIdTest {

    @TempDir
    Path dir;

    @Test
    void byDefaultTheIdIsMadeOnceAndKeptInTheStateDirectory() {
        // Given the default (no option)
        GroupInstanceId id = GroupInstanceId.parse("").orElseThrow();

        // When resolved twice on one state directory, and once on another
        String first = id.resolve(dir.resolve("a"), "cdc-marts-processor-shop");
        String again = GroupInstanceId.parse(null).orElseThrow().resolve(dir.resolve("a"), "cdc-marts-processor-shop");
        String other = id.resolve(dir.resolve("b"), "cdc-marts-processor-shop");

        // Then a restart on the same directory is the same member, another directory another one
        assertThat(first).startsWith("cdc-marts-processor-shop-").isEqualTo(again);
        assertThat(other).isNotEqualTo(first);
        assertThat(dir.resolve("a").resolve("cdc-marts-processor-shop.group-instance-id")).exists();
    }

    @Test
    void anExplicitIdIsUsedAsGivenAndNoneTurnsStaticMembershipOff() {
        assertThat(GroupInstanceId.parse(" proc-1 ").orElseThrow().resolve(dir, "app")).isEqualTo("proc-1");
        assertThat(GroupInstanceId.parse("none")).isEmpty();
        assertThat(GroupInstanceId.parse("NONE")).isEmpty();
    }

    @Test
    void aBadIdNamesTheOption() {
        assertThatThrownBy(() -> GroupInstanceId.parse("has space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--group-instance-id 'has space' is not valid");
    }
}
