package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code pgbench} (Debian's PostgreSQL 15 client, or the one on PATH) against a test
 * database: the tables and workload a new user would try first, one of them ({@code pgbench_history})
 * without a primary key.
 */
final class Pgbench {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/lib/postgresql/15/bin/pgbench"),
            Path.of("/usr/bin/pgbench"));

    private Pgbench() {
    }

    /** Runs pgbench with {@code args}; fails with its output unless it exits 0 within 5 minutes. */
    static String run(PgDsn db, String... args) {
        Path binary = CANDIDATES.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("pgbench not found at " + CANDIDATES));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", db.host(), "-p",
                Integer.toString(db.port()), "-U", db.user()));
        command.addAll(List.of(args));
        command.add(db.database());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (db.password() != null) {
            pb.environment().put("PGPASSWORD", db.password());
        }
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("pgbench " + List.of(args) + " did not finish: " + output);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pgbench " + List.of(args) + " exited " + p.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running pgbench", e);
        }
    }
}
