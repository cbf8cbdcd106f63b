package io.cdcmarts.processor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The processor's {@code group.instance.id} ({@code --group-instance-id} /
 * CDC_PROCESSOR_GROUP_INSTANCE_ID): with one, its consumers are static members of the group, so a
 * processor restarted after a {@code kill -9} gets its partitions back at once instead of waiting
 * for the dead member's session to time out (45 s by default). By default the id is made once per
 * state directory and kept in it ({@code <state-dir>/<application-id>.group-instance-id}): stable
 * across restarts, and different for every instance (each has its own state directory), even on
 * hosts that share paths. An explicit id must be unique among the running instances;
 * {@value #NONE} turns static membership off.
 */
public final class GroupInstanceId {

    /** The option value that turns static membership off. */
    public static final String NONE = "none";

    private final String explicit;

    private GroupInstanceId(String explicit) {
        this.explicit = explicit;
    }

    /**
     * From the option: blank for the id kept in the state directory, {@value #NONE} for none.
     *
     * @throws IllegalArgumentException naming the option when the id has characters Kafka ids should not
     */
    public static Optional<GroupInstanceId> parse(String option) {
        String value = option == null ? "" : option.strip();
        if (value.isEmpty()) {
            return Optional.of(new GroupInstanceId(null));
        }
        if (value.equalsIgnoreCase(NONE)) {
            return Optional.empty();
        }
        if (!value.matches("[A-Za-z0-9._\\-]+")) {
            throw new IllegalArgumentException("--group-instance-id '" + value
                    + "' is not valid: use letters, digits, '.', '_' and '-' (or 'none' for no static membership)");
        }
        return Optional.of(new GroupInstanceId(value));
    }

    /** Whether the id is made and kept in the state directory (not given explicitly). */
    public boolean fromStateDir() {
        return explicit == null;
    }

    /**
     * The id: the explicit one, or the one kept in {@code stateDir} (made on first use).
     *
     * @throws IllegalStateException naming the file when it cannot be read or written
     */
    public String resolve(Path stateDir, String applicationId) {
        if (explicit != null) {
            return explicit;
        }
        Path file = stateDir.resolve(applicationId + ".group-instance-id");
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            Files.createDirectories(stateDir);
            String made = applicationId + "-" + UUID.randomUUID().toString().substring(0, 8);
            Path temp = Files.createTempFile(stateDir, applicationId, ".tmp");
            Files.writeString(temp, made + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return made;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the processor's group instance id in " + file + ": " + e.getMessage()
                    + " (give one with --group-instance-id, or 'none')", e);
        }
    }

    @Override
    public String toString() {
        return explicit == null ? "(kept in the state directory)" : explicit;
    }
}
