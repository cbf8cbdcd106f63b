package io.cdcmarts.common.kafka;

import io.cdcmarts.common.cli.Durations;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first thing every service does: ask the broker for its cluster within {@code --kafka-timeout}.
 * Kafka's clients retry an unreachable broker forever, logging a warning per attempt, so without
 * this a service pointed at the wrong address would run on and report UP; with it, it exits 1 with
 * one line naming the address (SPEC §8). A broker that goes away <em>later</em> is not checked
 * here: the clients ride out a bounce.
 */
public final class KafkaReachability {

    private KafkaReachability() {
    }

    /**
     * Returns once a broker of {@code kafka.bootstrap()} answered.
     *
     * @throws KafkaUnreachableException naming the address and the option, after {@code kafka.timeout()}
     */
    public static void require(KafkaSettings kafka, String clientId) {
        Duration timeout = kafka.timeout();
        Map<String, Object> config = kafka.clientConfig();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        Admin admin = Admin.create(config);
        try {
            // The admin call gives up by itself at the timeout; the get's own limit only guards against a hang.
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                    .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(kafka, reason(e.getCause()));
        } catch (TimeoutException e) {
            throw unreachable(kafka, "no broker answered");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(kafka, "interrupted while waiting");
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static String reason(Throwable cause) {
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no broker answered";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static KafkaUnreachableException unreachable(KafkaSettings kafka, String reason) {
        return new KafkaUnreachableException("cannot reach Kafka at " + kafka.bootstrap() + " within "
                + Durations.format(kafka.timeout()) + ": " + reason
                + " (--kafka-bootstrap, CDC_KAFKA_BOOTSTRAP; wait longer with --kafka-timeout, CDC_KAFKA_TIMEOUT)");
    }

    /** No broker of the configured bootstrap servers answered in time; the message names them. */
    public static final class KafkaUnreachableException extends IllegalStateException {
        public KafkaUnreachableException(String message) {
            super(message);
        }
    }
}
