package io.cdcmarts.app;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code cdc-marts} command run in-process, as the launcher runs it: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CdcMarts.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
