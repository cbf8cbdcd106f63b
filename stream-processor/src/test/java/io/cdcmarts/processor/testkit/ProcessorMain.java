package io.cdcmarts.processor.testkit;

import io.cdcmarts.processor.ProcessCommand;
import picocli.CommandLine;

/** {@code cdc-marts process} in a JVM of its own, for tests that kill it. */
public final class ProcessorMain {

    private ProcessorMain() {
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new ProcessCommand()).execute(args);
        System.exit(rc);
    }
}
