package io.cdcmarts.common;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class BuildInfoTest {

    @Test
    void theBuildFilledInTheVersionAndTheCheckedOutCommit() throws Exception {
        // Given the resource Maven filtered when it built this module
        BuildInfo info = BuildInfo.current();

        // Then the version is a Maven version, and the commit is HEAD's where git knows one
        // (a source archive has no .git: then the commit is unknown)
        assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        String head = gitHead();
        assertThat(info.commit()).isEqualTo(head == null ? BuildInfo.UNKNOWN : head);
    }

    /** {@code git rev-parse HEAD} in this module's directory, or null without git or a repository. */
    private static String gitHead() throws InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void placeholdersMavenLeftUnresolvedReadAsUnknown() {
        // Given a build without .git and without -Dgit.commit.id
        // When
        BuildInfo info = BuildInfo.of(properties("0.1.0", "${git.commit.id}", "${git.dirty}"));

        // Then
        assertThat(info).isEqualTo(new BuildInfo("0.1.0", BuildInfo.UNKNOWN, false));
        assertThat(info.describe("cdc-marts")).isEqualTo("cdc-marts 0.1.0 (commit unknown)");
    }

    @Test
    void aDirtyTreeIsSaid() {
        assertThat(BuildInfo.of(properties("0.1.0", "6e49dda0c0ffee6e49dda0c0ffee6e49dda0c0ff", "true")).describe("cdc-marts"))
                .isEqualTo("cdc-marts 0.1.0 (commit 6e49dda0c0ffee6e49dda0c0ffee6e49dda0c0ff, with uncommitted changes)");
    }

    /** build-info.properties as the build writes it. */
    private static Properties properties(String version, String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        p.setProperty("dirty", dirty);
        return p;
    }
}
