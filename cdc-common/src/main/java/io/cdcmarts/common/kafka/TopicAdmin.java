package io.cdcmarts.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates our topics with explicit configs, once each; no topic relies on broker auto-creation
 * (SPEC §3). Safe to call from several services at once: "already exists" is success.
 */
public final class TopicAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    /** Default retention of dead-letter topics: 30 days. */
    public static final long DLQ_RETENTION_MS = TimeUnit.DAYS.toMillis(30);

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public TopicAdmin(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    public static TopicAdmin create(Map<String, Object> adminConfig, int partitions, short replicationFactor) {
        return new TopicAdmin(Admin.create(adminConfig), partitions, replicationFactor);
    }

    /** A compacted topic: raw, stg and mart layers and offsets keep the latest value per key. */
    public NewTopic compacted(String name) {
        return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * The schema topic ({@code <prefix>.schemas}): compacted, one partition (a few entries per table
     * version); capture and the processor both write it, whichever starts first makes it.
     */
    public NewTopic schemaLog(String name) {
        return new NewTopic(name, Optional.of(1), Optional.of(replicationFactor))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** A time-retained topic (dead letters). */
    public NewTopic retained(String name, long retentionMs) {
        return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs)));
    }

    /** Creates the topics that do not exist yet; returns when all of them exist. */
    public void ensure(Collection<NewTopic> topics) {
        List<NewTopic> missing = topics.stream().filter(t -> !known.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
        for (NewTopic topic : missing) {
            try {
                results.get(topic.name()).get(60, TimeUnit.SECONDS);
                LOG.info("Created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + topic.name()
                        + ": is the Kafka broker reachable?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
            }
            known.add(topic.name());
        }
    }

    public void ensure(NewTopic topic) {
        ensure(List.of(topic));
    }

    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
    }
}
