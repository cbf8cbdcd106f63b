package io.cdcmarts.sink.testing;

import io.cdcmarts.sink.SinkCommand;
import picocli.CommandLine;

/** {@code cdc-marts sink} in a JVM of its own, for tests that kill it. */
public final class SinkMain {

    private SinkMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SinkCommand()).execute(args));
    }
}
