package io.cdcmarts.processor.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local task state a processor stopped by {@code kill -9} leaves behind, removed before Kafka
 * Streams starts. Under exactly-once Kafka Streams trusts a store only if the task closed cleanly
 * (the store then holds its changelog offset); after a crash it opens every store twice (once when
 * the client is made, once per task), finds no offset, marks each task corrupted, wipes it and
 * restores it from the changelog. Removing the task directories first gives the same state (the
 * changelog is the truth either way) without the openings and the corrupted-task round trip, and
 * without a warning per store.
 *
 * <p>Which runs were clean is kept here, not read from Kafka Streams' files (their layout changes
 * between versions): a clean stop writes {@code <state-dir>/<application-id>.stopped-cleanly}, and
 * every start consumes it, so a run that is killed leaves none behind. State kept by a version
 * that wrote no marker is restored once.
 */
public final class KilledRunState {

    /** A task's directory: {@code <subtopology>_<partition>} (Kafka Streams' TaskId). */
    private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");
    /** The file Kafka Streams locks while a client uses the application's state directory. */
    private static final String LOCK = ".lock";

    private final Path stateDir;
    private final String applicationId;

    public KilledRunState(Path stateDir, String applicationId) {
        this.stateDir = stateDir;
        this.applicationId = applicationId;
    }

    /** The marker a clean stop leaves. */
    public Path marker() {
        return stateDir.resolve(applicationId + ".stopped-cleanly");
    }

    /**
     * At start: consumes the marker; without one, deletes the task directories of the last run.
     * Does nothing while another process holds the application's state directory (Kafka Streams
     * then refuses to start, with its own message).
     *
     * @return the task ids whose directories were deleted (none after a clean stop or a first start)
     * @throws UncheckedIOException naming the directory when it cannot be read or deleted
     */
    public List<String> removeIfKilled() {
        try {
            if (Files.deleteIfExists(marker())) {
                return List.of();
            }
            Path appDir = stateDir.resolve(applicationId);
            if (!Files.isDirectory(appDir)) {
                return List.of();
            }
            try (FileChannel channel = FileChannel.open(appDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = tryLock(channel)) {
                if (lock == null) {
                    return List.of();
                }
                List<Path> tasks;
                try (Stream<Path> children = Files.list(appDir)) {
                    tasks = children.filter(Files::isDirectory)
                            .filter(dir -> TASK_DIRECTORY.matcher(dir.getFileName().toString()).matches())
                            .sorted().toList();
                }
                for (Path task : tasks) {
                    deleteTree(task);
                }
                return tasks.stream().map(task -> task.getFileName().toString()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the state a killed processor left in " + stateDir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    /** After a clean stop (every task closed and its stores' offsets written): the next start trusts them. */
    public void markStoppedCleanly() {
        try {
            Files.createDirectories(stateDir);
            Files.writeString(marker(), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by a Kafka Streams client in this JVM
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
