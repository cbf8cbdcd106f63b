package io.cdcmarts.processor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class KilledRunStateTest {

    @TempDir
    Path stateDir;

    @Test
    void aKilledRunsTaskDirectoriesAreRemovedAndNothingElse() throws Exception {
        Path app = stateDir.resolve("app");
        Path first = task(app, "0_1");
        Path second = task(app, "1_0");
        Path other = Files.createDirectories(app.resolve("not-a-task"));
        Files.writeString(app.resolve("kafka-streams-process-metadata"), "x");
        Files.writeString(stateDir.resolve("app.group-instance-id"), "app-1234");

        assertThat(new KilledRunState(stateDir, "app").removeIfKilled()).containsExactly("0_1", "1_0");

        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(other).exists();
        assertThat(app.resolve("kafka-streams-process-metadata")).exists();
        assertThat(stateDir.resolve("app.group-instance-id")).exists();
    }

    @Test
    void aCleanStopKeepsTheStateOnceAndOnlyOnce() throws Exception {
        Path task = task(stateDir.resolve("app"), "0_0");
        KilledRunState state = new KilledRunState(stateDir, "app");
        state.markStoppedCleanly();

        assertThat(state.removeIfKilled()).isEmpty();
        assertThat(task.resolve("rocksdb/store/000001.sst")).exists();
        assertThat(state.marker()).as("consumed, so a run killed from here on is detected").doesNotExist();

        assertThat(state.removeIfKilled()).containsExactly("0_0");
        assertThat(task).doesNotExist();
    }

    @Test
    void nothingToDoOnAFirstStart() {
        assertThat(new KilledRunState(stateDir, "never-ran").removeIfKilled()).isEmpty();
    }

    @Test
    void leavesTheStateAloneWhileAnotherClientHoldsItsLock() throws Exception {
        Path app = stateDir.resolve("app");
        Path task = task(app, "0_0");
        try (FileChannel channel = FileChannel.open(app.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThat(new KilledRunState(stateDir, "app").removeIfKilled()).isEmpty();
        }
        assertThat(task).exists();
    }

    private static Path task(Path app, String id) throws Exception {
        Path task = app.resolve(id);
        Files.createDirectories(task.resolve("rocksdb/store"));
        Files.writeString(task.resolve("rocksdb/store/000001.sst"), "data");
        return task;
    }
}
