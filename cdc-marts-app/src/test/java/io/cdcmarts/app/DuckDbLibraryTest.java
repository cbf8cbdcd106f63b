package io.cdcmarts.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DuckDbLibraryTest {

    @TempDir
    Path dir;

    @Test
    void aJarWithoutDuckDbsLibraryBesideItIsNamedWithWhereTheLibraryComesFrom() throws Exception {
        Path jar = Files.createFile(dir.resolve("cdc-marts.jar"));
        Files.createFile(dir.resolve("librocksdbjni-linux64.so"));

        assertThat(DuckDbLibrary.missingBeside(jar)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("libduckdb_java.so_<platform>").contains(jar.toAbsolutePath().toString())
                .contains("cdc-marts-app/target/"));
    }

    @Test
    void aJarWithDuckDbsLibraryBesideItHasNoProblem() throws Exception {
        Path jar = Files.createFile(dir.resolve("cdc-marts.jar"));
        Files.createFile(dir.resolve("libduckdb_java.so_linux_amd64"));

        assertThat(DuckDbLibrary.missingBeside(jar)).isEmpty();
    }

    @Test
    void runFromClassesWithTheDriversJarOnTheClassPathThereIsNothingToCheck() {
        // the tests' class path: DuckDB's own jar, which carries its library
        assertThat(DuckDbLibrary.problem()).isEmpty();
    }
}
