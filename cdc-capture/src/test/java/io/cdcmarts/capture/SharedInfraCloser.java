package io.cdcmarts.capture;

import io.cdcmarts.testing.Infra;
import io.cdcmarts.testing.SharedInfra;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.lang.reflect.Field;

/**
 * Stops the shared Kafka broker and PostgreSQL servers when the test run ends, before the JVM exits.
 *
 * <p>Left to JVM shutdown hooks, test-support's hook that stops the broker races Kafka's own hook
 * that deletes the broker's temporary log directory; the broker then fails on missing files, takes
 * its metadata log directory offline and halts the JVM with status 1, which Failsafe reports as
 * "Error occurred in starting fork" although every test passed. Remove this once test-support
 * stops its broker before exit itself.
 */
public final class SharedInfraCloser implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        OlderPostgres.closeAll();
        Infra started = startedSharedInfra();
        if (started != null) {
            started.close();
        }
    }

    /** The shared infra if a test started it; never starts it. */
    private static Infra startedSharedInfra() {
        try {
            Field shared = SharedInfra.class.getDeclaredField("shared");
            shared.setAccessible(true);
            return (Infra) shared.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
