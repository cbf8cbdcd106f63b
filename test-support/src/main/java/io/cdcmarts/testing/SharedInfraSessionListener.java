package io.cdcmarts.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the shared test servers when the JUnit run ends, before the JVM's exit hooks run. */
public final class SharedInfraSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedInfra.closeIfStarted();
    }
}
