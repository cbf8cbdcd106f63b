package io.cdcmarts.capture.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.capture.CaptureStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureProgressTest {

    @Test
    void healthFollowsTheStateAndEventsAreCountedPerTableAndTopic() {
        // Given capture that sent events and then failed
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaptureProgress progress = new CaptureProgress(registry);
        progress.state(CaptureStatus.State.RUNNING);
        progress.sent("orders", "shop.raw.orders", 3);
        progress.position(1234, Instant.parse("2024-05-01T00:00:00Z"));
        ObjectNode running = progress.snapshot().health().toJson("capture");
        progress.error("Kafka did not acknowledge");
        progress.state(CaptureStatus.State.FAILED);

        // When its health is read
        ObjectNode failed = progress.snapshot().health().toJson("capture");

        // Then
        assertThat(running.get("status").asText()).isEqualTo("UP");
        assertThat(running.get("lastLsn").asLong()).isEqualTo(1234);
        assertThat(running.get("lastSourceTs").asText()).isEqualTo("2024-05-01T00:00:00Z");
        assertThat(running.get("eventsSent").get("orders").asLong()).isEqualTo(3);
        assertThat(failed.get("status").asText()).isEqualTo("DOWN");
        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
        assertThat(failed.get("lastError").asText()).isEqualTo("Kafka did not acknowledge");
        assertThat(failed.get("lastErrorAt").isNull()).isFalse();
        assertThat(registry.scrape()).contains("cdc_capture_events_total{table=\"orders\",topic=\"shop.raw.orders\"} 3.0")
                .contains("cdc_capture_last_lsn 1234.0");
    }
}
