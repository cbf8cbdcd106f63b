package io.cdcmarts.processor;

import io.cdcmarts.common.cli.HttpBindOption;
import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.http.HttpBinding;
import io.cdcmarts.processor.config.GroupInstanceId;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.quality.RulesFile;
import io.cdcmarts.processor.quality.StagingRules;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of the stream processor, shared by {@code process} and {@code reprocess} so both run
 * the same application with the same rules. Every option also reads an environment variable.
 */
public final class ProcessorOptions {

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    HttpBindOption http = new HttpBindOption();

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:CDC_PROCESSOR_APPLICATION_ID:-}",
            description = "Kafka Streams application id (env CDC_PROCESSOR_APPLICATION_ID; default cdc-marts-processor-<prefix>).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:CDC_STATE_DIR:-" + ProcessorConfig.DEFAULT_STATE_DIR + "}",
            description = "Directory of the state stores (env CDC_STATE_DIR; default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "${env:CDC_COMMIT_INTERVAL_MS:-100}",
            description = "How often results are committed and become visible while the processor keeps up "
                    + "(env CDC_COMMIT_INTERVAL_MS; default ${DEFAULT-VALUE}).")
    long commitIntervalMs;

    @Option(names = "--catch-up-commit-interval-ms", paramLabel = "MS", defaultValue = "${env:CDC_CATCH_UP_COMMIT_INTERVAL_MS:-}",
            description = "How often it commits while it reads records written more than ten of these ago: a backlog, "
                    + "a replay, a reprocess, e.g. 1000 (env CDC_CATCH_UP_COMMIT_INTERVAL_MS; default --commit-interval-ms: "
                    + "one fixed interval).")
    String catchUpCommitIntervalMs;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = "${env:CDC_STREAM_THREADS:-1}",
            description = "Stream threads (env CDC_STREAM_THREADS; default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--state-store", paramLabel = "TYPE", defaultValue = "${env:CDC_STATE_STORE:-ROCKSDB}",
            description = "State store type: ROCKSDB or IN_MEMORY (env CDC_STATE_STORE; default ${DEFAULT-VALUE}).")
    StoreType storeType;

    @Option(names = "--dlq-retention-days", paramLabel = "DAYS", defaultValue = "${env:CDC_DLQ_RETENTION_DAYS:-30}",
            description = "Retention of the dead-letter topics it creates (env CDC_DLQ_RETENTION_DAYS; default ${DEFAULT-VALUE}).")
    long dlqRetentionDays;

    @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
            description = "Any Kafka Streams property, applied last (repeatable), e.g. num.standby.replicas=1.")
    Map<String, String> streamsProperties = new LinkedHashMap<>();

    @Option(names = "--group-instance-id", paramLabel = "ID", defaultValue = "${env:CDC_PROCESSOR_GROUP_INSTANCE_ID:-}",
            description = "Static group membership, so a restarted processor gets its partitions back at once "
                    + "(env CDC_PROCESSOR_GROUP_INSTANCE_ID; default an id made once and kept in the state directory; "
                    + "'none' for dynamic membership). Unique per running instance.")
    String groupInstanceId;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CDC_HTTP_PORT:-8082}",
            description = "Port of /health and /metrics; 0 picks a free port, -1 serves none (env CDC_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--rules", paramLabel = "FILE", defaultValue = "${env:CDC_PROCESSOR_RULES:-}",
            description = "Changes to the built-in staging rules (env CDC_PROCESSOR_RULES; default none): "
                    + "lines '<table>.<column>.<check> = off|on|<parameter>', see the stream-processor README.")
    Path rules;

    /** Where /health and /metrics are served; throws {@link IllegalArgumentException} naming the option. */
    HttpBinding binding() {
        return http.binding(httpPort);
    }

    private Duration catchUpCommitInterval() {
        if (catchUpCommitIntervalMs == null || catchUpCommitIntervalMs.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(catchUpCommitIntervalMs.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--catch-up-commit-interval-ms must be a number of milliseconds, got '"
                    + catchUpCommitIntervalMs + "'");
        }
    }

    /** The config these options describe; throws {@link IllegalArgumentException} naming the option. */
    public ProcessorConfig config() {
        return ProcessorConfig.builder(kafka.settings())
                .rules(rules == null || rules.toString().isBlank() ? StagingRules.DEFAULTS : RulesFile.read(rules))
                .applicationId(applicationId)
                .stateDir(stateDir)
                .commitInterval(Duration.ofMillis(commitIntervalMs))
                .catchUpCommitInterval(catchUpCommitInterval())
                .streamThreads(streamThreads)
                .storeType(storeType)
                .dlqRetention(Duration.ofDays(dlqRetentionDays))
                .streamsProperties(streamsProperties)
                .groupInstanceId(GroupInstanceId.parse(groupInstanceId))
                .build();
    }
}
