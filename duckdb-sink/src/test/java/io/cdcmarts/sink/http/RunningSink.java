package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.common.http.ServiceHttpServer;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.testing.CaughtUp;
import io.cdcmarts.sink.testing.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real sink on the test broker with its HTTP server on a free localhost port, wired as {@code cdc-marts sink} wires it. */
final class RunningSink implements AutoCloseable {

    final SinkService sink;
    final ServiceHttpServer server;
    final SinkHttp api;
    private final HttpClient client = HttpClient.newHttpClient();

    RunningSink(String prefix, Path file) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        sink = new SinkService(SinkConfig.builder(KafkaSettings.of(TestKafka.bootstrap(), prefix)).duckdbPath(file)
                .pollTimeout(Duration.ofMillis(200)).topicRefresh(Duration.ofSeconds(1)).build(), registry);
        sink.start();
        server = new ServiceHttpServer(new HttpBinding(HttpBinding.LOCALHOST, 0), "sink",
                () -> SinkHttp.health(sink.status()), registry::scrape);
        api = new SinkHttp(server, sink, new SinkHttp.Options(Duration.ofSeconds(10), 1000));
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(url(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    /** Waits until every message sent to {@code topics} is in DuckDB. */
    void awaitCaughtUp(ShopTopics topics) throws Exception {
        CaughtUp.awaitCommitted(sink, topics.prefix, topics.sent());
    }

    @Override
    public void close() {
        server.close();
        api.close();
        sink.close();
    }
}
