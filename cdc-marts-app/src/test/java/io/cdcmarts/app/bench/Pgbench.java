package io.cdcmarts.app.bench;

import org.junit.jupiter.api.Assumptions;

/** The pgbench the tests run: skipped without one, unless {@code CDC_PGBENCH_REQUIRED=1} makes that a failure. */
public final class Pgbench {

    static final String REQUIRED_ENV = "CDC_PGBENCH_REQUIRED";

    private Pgbench() {
    }

    /** {@code pgbench} from the PATH when it is 15 or newer; otherwise the test is skipped, or fails when required. */
    public static String requireOrSkip() throws InterruptedException {
        try {
            PgbenchWorkload.requireVersion("pgbench");
            return "pgbench";
        } catch (IllegalStateException e) {
            if ("1".equals(System.getenv(REQUIRED_ENV))) {
                throw new AssertionError(REQUIRED_ENV + "=1 but " + e.getMessage(), e);
            }
            Assumptions.abort("no usable pgbench: " + e.getMessage());
            throw e;
        }
    }
}
