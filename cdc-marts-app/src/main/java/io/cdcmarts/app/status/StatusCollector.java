package io.cdcmarts.app.status;

import io.cdcmarts.common.Secrets;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.sink.SinkConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every part of the pipeline how it is doing. Each probe fails on its own: an unreachable
 * server becomes a line in the report naming it, never an exception that hides the rest.
 */
public final class StatusCollector {

    private final StatusTargets targets;
    private final Clock clock;

    public StatusCollector(StatusTargets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    public StatusReport collect() {
        Instant now = clock.instant();
        SlotLag slot = targets.pg() == null ? null : SlotProbe.read(targets.pg(), targets.slot());
        List<GroupLag> consumers = consumerLag();
        HttpClient http = HttpClient.newBuilder().connectTimeout(targets.timeout()).build();
        HealthProbe health = new HealthProbe(http, targets.timeout());
        List<ServiceHealth> services = services(health);
        ServiceHealth sink = services.stream().filter(s -> s.service().equals("sink")).findFirst().orElseThrow();
        // Freshness is measured when DuckDB is read, not when the report started: the probes
        // before it can take seconds, which would read as a source clock running ahead.
        LayerFacts layers = layers(http, sink, clock.instant());
        return new StatusReport(now, slot, consumers, layers, services);
    }

    /**
     * Capture, processor and sink. The sink's URL is asked first: when {@code local} answers there
     * (all three in one process, one port), every service is reported from its answer, and the
     * capture and processor URLs, where nothing of {@code local} listens, are not asked.
     */
    private List<ServiceHealth> services(HealthProbe health) {
        List<ServiceHealth> behindSinkUrl = health.readAll("sink", targets.sinkUrl());
        if (behindSinkUrl.size() > 1) {
            return behindSinkUrl;
        }
        return List.of(health.read("capture", targets.captureUrl()), health.read("processor", targets.processorUrl()),
                behindSinkUrl.get(0));
    }

    private List<GroupLag> consumerLag() {
        Map<String, Object> config = targets.kafka().clientConfig();
        int ms = (int) targets.timeout().toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        try (Admin admin = Admin.create(config)) {
            try {
                admin.describeCluster().nodes().get(targets.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // One clear line instead of two timeouts, one per group.
                String why = "Kafka at " + targets.kafka().bootstrap() + " did not answer within " + targets.timeout().toSeconds() + " s";
                return List.of(new GroupLag(targets.sinkGroup(), "sink", "UNKNOWN", Map.of(), why),
                        new GroupLag(targets.processorId(), "processor", "UNKNOWN", Map.of(), why));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
            ConsumerLagProbe probe = new ConsumerLagProbe(admin, targets.timeout());
            return List.of(probe.read(targets.sinkGroup(), "sink", sinkTopics()),
                    probe.read(targets.processorId(), "processor", targets.kafka().topics().pattern(TopicNames.Layer.RAW)));
        } catch (RuntimeException e) {
            String why = "Kafka at " + targets.kafka().bootstrap() + ": " + Secrets.redact(String.valueOf(e.getMessage()));
            return List.of(new GroupLag(targets.sinkGroup(), "sink", "UNKNOWN", Map.of(), why),
                    new GroupLag(targets.processorId(), "processor", "UNKNOWN", Map.of(), why));
        }
    }

    /** Every topic a sink with the default layers reads: raw, stg, mart, dlq and open failures. */
    private java.util.regex.Pattern sinkTopics() {
        return SinkConfig.builder(targets.kafka()).build().subscription();
    }

    /** Through the running sink when it answers; otherwise the file, which only works when no sink holds it. */
    private LayerFacts layers(HttpClient http, ServiceHealth sink, Instant now) {
        if (!sink.status().equals("UNREACHABLE")) {
            return LayerProbe.read(new SinkQuerySource(http, targets.sinkUrl(), targets.timeout()), now);
        }
        if (targets.duckdb() == null || !Files.exists(targets.duckdb())) {
            return LayerFacts.unavailable("the sink at " + targets.sinkUrl() + " does not answer and there is no DuckDB file at "
                    + targets.duckdb());
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + targets.duckdb().toAbsolutePath(), readOnly)) {
            return LayerProbe.read(new JdbcSqlSource(c, "file " + targets.duckdb()), now);
        } catch (Exception e) {
            return LayerFacts.unavailable("the sink at " + targets.sinkUrl() + " does not answer and the file " + targets.duckdb()
                    + " cannot be opened: " + e.getMessage());
        }
    }
}
