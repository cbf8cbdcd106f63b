package io.cdcmarts.common.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceRunnerTest {

    @Test
    void aStopAfterAFailureDoesNotCallItselfClean() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        ServiceRunner runner = new ServiceRunner("sink", closes::incrementAndGet, exited::countDown);

        runner.failed(new IllegalStateException("DuckDB refused postgresql://u:secret@db/x"));

        assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
        String line = runner.stop();
        assertThat(line).startsWith("sink stopped after a failure: DuckDB refused").doesNotContain("cleanly", "secret");
        assertThat(closes).hasValue(1);
    }

    @Test
    void aStopWithoutFailureIsClean() {
        ServiceRunner runner = new ServiceRunner("capture", () -> { }, () -> { });

        assertThat(runner.stop()).isEqualTo("capture stopped cleanly");
    }

    @Test
    void onlyTheFirstFailureExits() throws Exception {
        AtomicInteger exits = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        ServiceRunner runner = new ServiceRunner("processor", () -> { }, () -> {
            exits.incrementAndGet();
            first.countDown();
        });

        runner.failed(new IllegalStateException("one"));
        runner.failed(new IllegalStateException("two"));

        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.stop()).endsWith("one");
        assertThat(exits).hasValue(1);
    }
}
