package io.cdcmarts.common.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.BuildInfo;
import io.cdcmarts.common.Json;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * What a service says about itself on {@code GET /health}: up or down, the last error, and
 * service-specific details. {@code cdc-marts status} reads {@code lastError} of each service from it;
 * {@code version} and {@code commit} say which build answers ({@link BuildInfo}), for bug reports.
 *
 * @param up          whether the service does its job now (HTTP 200), or not (HTTP 503)
 * @param lastError   the last failure's message, or null
 * @param lastErrorAt when it happened, or null
 * @param details     adds the service's own fields to the document (state, counts …)
 */
public record Health(boolean up, String lastError, Instant lastErrorAt, Consumer<ObjectNode> details) {

    public Health {
        details = details == null ? d -> { } : details;
    }

    /**
     * The JSON document: {@code status} (UP/DOWN), {@code service}, {@code version}, {@code commit},
     * {@code lastError}, {@code lastErrorAt}, then the details.
     */
    public ObjectNode toJson(String service) {
        BuildInfo build = BuildInfo.current();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", up ? "UP" : "DOWN");
        body.put("service", service);
        body.put("version", build.version());
        body.put("commit", build.commit());
        body.put("lastError", lastError);
        body.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
        details.accept(body);
        return body;
    }
}
