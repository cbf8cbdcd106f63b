package io.cdcmarts.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.capture.CaptureStatus;
import io.cdcmarts.common.http.Health;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.sink.http.SinkHttp;

import java.time.Instant;

/**
 * The {@code /health} of {@code cdc-marts local}: one document for the three services it runs in
 * one process. UP while all three are; {@code lastError} is the first one's among them, named by
 * service. Under {@value #SERVICES} it carries each service's own health document, the one that
 * service serves on its own port when it runs alone, so {@code cdc-marts status} reports every
 * stage from the one port {@code local} serves.
 */
final class LocalHealth {

    /** The field holding each service's own health document, by service name. */
    static final String SERVICES = "services";

    private LocalHealth() {
    }

    static Health of(CaptureService capture, ProcessorService processor, SinkService sink) {
        CaptureStatus c = capture.status();
        ProcessorService.Status p = processor.status();
        var s = sink.status();
        Health captureHealth = c.health();
        Health processorHealth = p.health();
        Health sinkHealth = SinkHttp.health(s);
        boolean up = captureHealth.up() && processorHealth.up() && sinkHealth.up();
        String error = null;
        Instant at = null;
        if (c.lastError() != null) {
            error = "capture: " + c.lastError();
            at = c.lastErrorAt();
        } else if (p.lastError() != null) {
            error = "processor: " + p.lastError();
            at = p.lastErrorAt();
        } else if (s.lastError() != null) {
            error = "sink: " + s.lastError();
            at = s.lastErrorAt();
        }
        return new Health(up, error, at, body -> {
            body.put("capture", c.state().name());
            body.put("processor", p.state().name());
            body.put("sink", s.running() ? "RUNNING" : "STOPPED");
            ObjectNode services = body.putObject(SERVICES);
            services.set("capture", captureHealth.toJson("capture"));
            services.set("processor", processorHealth.toJson("processor"));
            services.set("sink", sinkHealth.toJson("sink"));
        });
    }
}
