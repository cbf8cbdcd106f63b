package io.cdcmarts.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.BuildInfo;
import io.cdcmarts.common.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(ServiceHttpServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpOrDownWithTheLastErrorAndMetricsAreTheScrape() throws Exception {
        // Given a service that is up
        AtomicReference<Health> health = new AtomicReference<>(new Health(true, null, null, b -> b.put("state", "RUNNING")));
        try (ServiceHttpServer server = new ServiceHttpServer(new HttpBinding(HttpBinding.LOCALHOST, 0), "capture",
                health::get, () -> "cdc_x_total 1.0\n")) {
            // When it is asked
            HttpResponse<String> up = get(server, "/health");

            // Then it says UP with 200
            assertThat(up.statusCode()).isEqualTo(200);
            JsonNode body = Json.MAPPER.readTree(up.body());
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.get("service").asText()).isEqualTo("capture");
            assertThat(body.get("version").asText()).isEqualTo(BuildInfo.current().version());
            assertThat(body.get("commit").asText()).isEqualTo(BuildInfo.current().commit());
            assertThat(body.get("lastError").isNull()).isTrue();
            assertThat(body.get("state").asText()).isEqualTo("RUNNING");

            // When it fails
            health.set(new Health(false, "broker gone", Instant.parse("2024-03-01T00:00:00Z"), null));
            HttpResponse<String> down = get(server, "/health");

            // Then it says DOWN with 503 and the error
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode failed = Json.MAPPER.readTree(down.body());
            assertThat(failed.get("status").asText()).isEqualTo("DOWN");
            assertThat(failed.get("lastError").asText()).isEqualTo("broker gone");
            assertThat(failed.get("lastErrorAt").asText()).isEqualTo("2024-03-01T00:00:00Z");

            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body()).isEqualTo("cdc_x_total 1.0\n");
        }
    }

    @Test
    void aFailingRouteAnswers500WithoutThePassword() throws Exception {
        try (ServiceHttpServer server = new ServiceHttpServer(new HttpBinding(HttpBinding.LOCALHOST, 0), "sink",
                () -> new Health(true, null, null, null), () -> "")) {
            server.route("/boom", exchange -> {
                throw new IllegalStateException("cannot reach postgresql://app:s3cret@db:5432/shop");
            });

            HttpResponse<String> response = get(server, "/boom");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("cannot reach").doesNotContain("s3cret");
        }
    }

    @Test
    void badBindingsNameTheOption() {
        assertThatThrownBy(() -> new HttpBinding(" ", 8080)).hasMessageContaining("--http-bind");
        assertThatThrownBy(() -> new HttpBinding("127.0.0.1", 70000)).hasMessageContaining("--http-port");
        assertThat(new HttpBinding("127.0.0.1", -1).enabled()).isFalse();
    }
}
