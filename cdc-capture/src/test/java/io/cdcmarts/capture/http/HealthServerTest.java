package io.cdcmarts.capture.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.capture.CaptureStatus;
import io.cdcmarts.capture.kafka.CaptureProgress;
import io.cdcmarts.common.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HealthServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthSaysWhetherCaptureRunsAndMetricsCountEventsPerTable() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaptureProgress progress = new CaptureProgress(registry);
        try (HealthServer server = new HealthServer(0, progress::snapshot, registry)) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(503);

            progress.state(CaptureStatus.State.RUNNING);
            progress.sent("orders", 3);
            progress.position(1234, Instant.parse("2024-05-01T00:00:00Z"));
            HttpResponse<String> health = get(server, "/health");
            HttpResponse<String> metrics = get(server, "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = Json.MAPPER.readTree(health.body());
            assertThat(body.get("service").asText()).isEqualTo("capture");
            assertThat(body.get("state").asText()).isEqualTo("RUNNING");
            assertThat(body.get("healthy").asBoolean()).isTrue();
            assertThat(body.get("last_lsn").asLong()).isEqualTo(1234);
            assertThat(body.get("last_source_ts").asText()).isEqualTo("2024-05-01T00:00:00Z");
            assertThat(body.get("events_sent").get("orders").asLong()).isEqualTo(3);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("cdc_capture_events_total{table=\"orders\"} 3.0")
                    .contains("cdc_capture_last_lsn 1234.0");
        }
    }
}
