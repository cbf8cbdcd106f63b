package io.cdcmarts.processor;

import io.cdcmarts.processor.quality.QualityMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HealthServerTest {

    @Test
    void healthFollowsTheStateAndMetricsAreScraped() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new QualityMetrics(registry).failed("orders", "accepted_values");
        AtomicReference<ProcessorService.Status> status =
                new AtomicReference<>(new ProcessorService.Status(KafkaStreams.State.RUNNING, null, null));
        HttpClient client = HttpClient.newHttpClient();
        try (HealthServer server = new HealthServer(0, status::get, registry)) {
            URI base = URI.create("http://localhost:" + server.port());

            HttpResponse<String> healthy = client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.body()).contains("\"state\":\"RUNNING\"");

            status.set(new ProcessorService.Status(KafkaStreams.State.ERROR, "boom", Instant.parse("2024-03-01T00:00:00Z")));
            HttpResponse<String> failed = client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).contains("\"last_error\":\"boom\"");

            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("cdc_processor_check_failures_total{check=\"accepted_values\",table=\"orders\"} 1.0");
        }
    }
}
