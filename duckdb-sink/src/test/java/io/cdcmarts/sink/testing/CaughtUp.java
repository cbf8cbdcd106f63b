package io.cdcmarts.sink.testing;

import io.cdcmarts.sink.SinkService;

import java.sql.Connection;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Waiting for a sink to have committed what a test sent. */
public final class CaughtUp {

    private CaughtUp() {
    }

    /** Waits until the sink has committed {@code messages} messages of the topics under {@code prefix}. */
    public static void awaitCommitted(SinkService sink, String prefix, long messages) throws Exception {
        try (Connection c = sink.openReader()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Object n = Rows.scalar(c, "SELECT sum(next_offset) FROM _cdc.offsets WHERE starts_with(topic, ?)", prefix + ".");
                return n != null && ((Number) n).longValue() == messages;
            });
        }
    }
}
