package io.cdcmarts.capture.engine;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka Connect's {@link KafkaOffsetBackingStore} that owns, and closes on {@link #stop()}, the
 * admin client it uses. Debezium's built-in path for {@code KafkaOffsetBackingStore} creates a
 * shared admin that nothing closes, so every engine start would leave one admin client (and its
 * thread) behind — visible when {@code cdc-marts local} or a test restarts capture in one JVM.
 * Same topic, same stored format: the two are interchangeable on an existing offsets topic.
 */
public final class ClosingKafkaOffsetBackingStore extends KafkaOffsetBackingStore {

    private final AtomicReference<SharedTopicAdmin> admin;

    /** The engine instantiates offset stores by class name, with no arguments. */
    public ClosingKafkaOffsetBackingStore() {
        this(new AtomicReference<>());
    }

    private ClosingKafkaOffsetBackingStore(AtomicReference<SharedTopicAdmin> admin) {
        super(() -> admin.get().topicAdmin(), () -> "cdc-marts-capture", offsetKeyConverter());
        this.admin = admin;
    }

    private static Converter offsetKeyConverter() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        return converter;
    }

    @Override
    public void configure(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        // Only the admin client's own settings: the worker config also holds the database password.
        config.originals().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "cdc-marts-capture-offsets-admin");
        admin.set(new SharedTopicAdmin(props));
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            SharedTopicAdmin a = admin.getAndSet(null);
            if (a != null) {
                a.close();
            }
        }
    }
}
