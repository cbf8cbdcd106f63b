package io.cdcmarts.capture;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops this module's older PostgreSQL servers when the test run ends; test-support stops the shared ones. */
public final class SharedInfraCloser implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        OlderPostgres.closeAll();
    }
}
