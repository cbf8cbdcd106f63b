package io.cdcmarts.processor;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class StreamThreadFailuresTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final StreamThreadFailures failures = new StreamThreadFailures(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @Test
    void aTransactionTheBrokerLostReplacesTheThread() {
        // Given the error a broker bounce left at a commit, wrapped as Kafka Streams wraps it
        StreamsException atCommit = new StreamsException("commit failed", new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state"));

        // Then the thread is replaced, and a timeout too
        assertThat(failures.decide(atCommit)).isEqualTo(REPLACE_THREAD);
        assertThat(failures.decide(new StreamsException(new TimeoutException("expired")))).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void anErrorThatWouldRepeatStopsTheClient() {
        assertThat(failures.decide(new StreamsException(new RecordTooLargeException("too large")))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(failures.decide(new IllegalStateException("a bug"))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(failures.decide(new OutOfMemoryError())).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void replacementsAreBoundedPerWindowSoAFailureLoopEndsInAnExit() {
        StreamsException bounce = new StreamsException(new InvalidTxnStateException("lost"));
        // Given as many replacements as the window allows
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.decide(bounce)).isEqualTo(REPLACE_THREAD);
        }
        // When one more comes within the window, Then the client stops
        assertThat(failures.decide(bounce)).isEqualTo(SHUTDOWN_CLIENT);
        // When the window has passed, Then a thread is replaced again
        now.set(now.get().plus(StreamThreadFailures.WINDOW).plusSeconds(1));
        assertThat(failures.decide(bounce)).isEqualTo(REPLACE_THREAD);
    }
}
