package io.cdcmarts.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Marker;

import java.util.List;
import java.util.Set;

/**
 * Drops the few warnings Kafka logs in a healthy run that say nothing a user could act on, and
 * nothing else: each is recognised by its logger and its exact message (and, for the metadata
 * warning, by every topic it names), so the same logger's other warnings still show. Installed
 * by {@code cdc-marts-logging.xml}, which the launcher's and the tests' logback configuration
 * include. The reasons, one by one:
 *
 * <ul>
 *   <li><b>Kafka Streams' internal topics before its first rebalance</b>: the stream thread's
 *       consumer asks for the metadata of the repartition, changelog and foreign-key join topics
 *       of its topology before the first rebalance, in which Kafka Streams itself creates them.
 *       {@code NetworkClient} warns about each unknown one until then. A missing topic of any
 *       other kind (a source topic, a user's) is still logged.</li>
 *   <li><b>The in-process broker's controller on a fresh log</b>: {@code local}'s and the tests'
 *       broker formats a new data directory and activates its controller by appending the
 *       bootstrap records, which {@code QuorumController} reports at WARN on every first start; on
 *       every later start (the same data directory) it reports the activation alone, at WARN
 *       too. An activation that aborts a transaction or reports anything else still shows.</li>
 *   <li><b>Kafka Streams' partition assignor</b>: the processor sets
 *       {@code processing.exception.handler.global.enabled} (Kafka 5.0's default, see
 *       {@code ProcessorConfig}), which silences this warning of Kafka Streams' own configuration;
 *       but the assignor inside the stream thread's consumer builds a second configuration from the
 *       consumer's settings, which cannot carry that key, and it warns again at every start.</li>
 *   <li><b>The in-process broker's shutdown</b>: the broker closes its controller-registration
 *       channel twice (Kafka's own shutdown order), and the second close warns.</li>
 *   <li><b>The in-process broker's internal topics</b>: on a fresh log the broker creates
 *       {@code __consumer_offsets} and {@code __transaction_state} when a client first looks for
 *       its coordinator. Clients that ask while the topic is being made (several services start
 *       at once, or one retries on a busy machine) each trigger another creation, which fails with
 *       {@code TOPIC_ALREADY_EXISTS} and warns; and the sink's offset commits (for lag
 *       monitoring only: its position is in DuckDB) fail with the two retriable coordinator errors
 *       until the offsets topic's partition is loaded, then succeed. Those two are dropped for the
 *       sink's consumer with its default client id wherever it runs (a coordinator that stays
 *       unavailable shows in the lag the sink reports, not here). Another topic, another creation
 *       error, another commit error or another consumer's commit still shows.</li>
 *   <li><b>The in-process broker's restart</b>: on a data directory it has used before, the
 *       combined broker and controller can send its controller registration to itself before its
 *       controller is active again; {@code ControllerApis} logs the refusal at ERROR, with a
 *       {@code NotControllerException} naming the node itself as the active controller, and the
 *       registration is retried (the quorum controller reports the same refusal at INFO). A
 *       refusal that names another node, or any other error of that request, still shows.</li>
 * </ul>
 */
public final class ExpectedLibraryWarnings extends TurboFilter {

    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
    private static final String QUORUM_CONTROLLER = "org.apache.kafka.controller.QuorumController";
    private static final String STREAMS_CONFIG = "org.apache.kafka.streams.StreamsConfig";
    private static final String CONTROLLER_APIS = "kafka.server.ControllerApis";
    private static final String AUTO_TOPIC_CREATION = "kafka.server.DefaultAutoTopicCreationManager";
    private static final String CONSUMER_COORDINATOR = "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator";

    /** The coordinators' topics, which the broker creates on first use. */
    private static final List<String> COORDINATOR_TOPICS = List.of("__consumer_offsets", "__transaction_state");
    /** The retriable errors of an offset commit while the offsets topic's partition is moving or loading. */
    private static final List<String> COORDINATOR_NOT_READY = List.of(": This is not the correct coordinator.",
            ": The coordinator is loading and hence can't process requests.");

    /** How Kafka Streams names the topics it creates for a topology (KIP-213 join topics included). */
    private static final List<String> STREAMS_INTERNAL_SUFFIXES = List.of("-repartition", "-changelog",
            "-subscription-registration-topic", "-subscription-response-topic");

    /** What a topic created a moment ago, or about to be, reports in metadata. */
    private static final Set<String> NOT_THERE_YET = Set.of("UNKNOWN_TOPIC_OR_PARTITION", "LEADER_NOT_AVAILABLE");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        boolean expected = t == null ? expected(logger.getName(), format, params) : expectedError(logger.getName(), format, t);
        return expected ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /** Whether this error with its exception is one of the expected ones: the restarted controller refusing its own registration. */
    static boolean expectedError(String logger, String message, Throwable t) {
        String prefix = "[ControllerApis nodeId=";
        int start = message.indexOf(prefix);
        int end = message.indexOf(']', start + prefix.length());
        if (!CONTROLLER_APIS.equals(logger) || start < 0 || end < 0 || !message.contains("apiKey=CONTROLLER_REGISTRATION")) {
            return false;
        }
        String itself = "The active controller appears to be node " + message.substring(start + prefix.length(), end) + ".";
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof NotControllerException && itself.equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this warning is one of the expected ones. Kafka's clients format their messages
     * before logging (their log context prefixes the client), so {@code message} is the whole text.
     */
    static boolean expected(String logger, String message, Object[] params) {
        return switch (logger) {
            case NETWORK_CLIENT -> (message.contains("The metadata response from the cluster reported a recoverable issue")
                    && onlyStreamsInternalTopicsNotThereYet(message))
                    || (message.contains("[NodeToControllerChannelManager ")
                    && message.contains("Attempting to close NetworkClient that has already been closed"));
            case QUORUM_CONTROLLER -> message.contains("Performing controller activation. The metadata log appears to be empty.")
                    // a restart on the same data directory: the same activation with nothing to report
                    || message.strip().endsWith("] Performing controller activation.");
            case STREAMS_CONFIG -> message.startsWith("Processing exception handler is not enabled for the GlobalThread.");
            case AUTO_TOPIC_CREATION -> COORDINATOR_TOPICS.stream().anyMatch(topic -> message.equals("Auto topic creation failed for "
                    + topic + " with error 'TOPIC_ALREADY_EXISTS': Topic '" + topic + "' already exists."));
            // the sink's consumer only (client id = its group id, cdc-marts-sink-<prefix> by default)
            case CONSUMER_COORDINATOR -> message.startsWith("[Consumer clientId=cdc-marts-sink-")
                    && message.contains("] Offset commit failed on partition ")
                    && COORDINATOR_NOT_READY.stream().anyMatch(message::endsWith);
            default -> false;
        };
    }

    /** The errors of the metadata warning are its tail, {@code … : {topic=ERROR, topic=ERROR}}. */
    private static boolean onlyStreamsInternalTopicsNotThereYet(String message) {
        int start = message.lastIndexOf(" : {");
        if (start < 0 || !message.endsWith("}")) {
            return false;
        }
        String errors = message.substring(start + 4, message.length() - 1);
        if (errors.isBlank()) {
            return false;
        }
        for (String entry : errors.split(", ")) {
            int eq = entry.lastIndexOf('=');
            if (eq < 0 || !isStreamsInternal(entry.substring(0, eq)) || !NOT_THERE_YET.contains(entry.substring(eq + 1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isStreamsInternal(String topic) {
        return STREAMS_INTERNAL_SUFFIXES.stream().anyMatch(topic::endsWith);
    }
}
