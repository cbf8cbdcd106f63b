package io.cdcmarts.sink;

import picocli.CommandLine.Option;

/** How much the sink reads per poll and writes per transaction: the options {@code sink} and {@code rebuild} share. */
public final class BatchOptions {

    @Option(names = "--max-poll-records", paramLabel = "N",
            defaultValue = "${env:CDC_SINK_MAX_POLL_RECORDS:-" + SinkConfig.DEFAULT_MAX_POLL_RECORDS + "}",
            description = "Most messages one Kafka poll returns (env CDC_SINK_MAX_POLL_RECORDS; default ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(names = "--max-batch-records", paramLabel = "N",
            defaultValue = "${env:CDC_SINK_MAX_BATCH_RECORDS:-" + SinkConfig.DEFAULT_MAX_BATCH_RECORDS + "}",
            description = "While the sink is behind, polls are folded into one batch, one DuckDB transaction, up to this many "
                    + "messages; once caught up every poll is written at once (env CDC_SINK_MAX_BATCH_RECORDS; default ${DEFAULT-VALUE}).")
    int maxBatchRecords;

    @Option(names = "--max-batch-bytes", paramLabel = "SIZE", defaultValue = "${env:CDC_SINK_MAX_BATCH_BYTES:-256MB}",
            description = "… or messages of this many bytes, e.g. 256MB: bounds the heap a batch needs "
                    + "(env CDC_SINK_MAX_BATCH_BYTES; default ${DEFAULT-VALUE}).")
    String maxBatchBytes;

    @Option(names = "--max-batch-wait", paramLabel = "DURATION", defaultValue = "${env:CDC_SINK_MAX_BATCH_WAIT:-2s}",
            description = "… or until the batch's first poll is this old (env CDC_SINK_MAX_BATCH_WAIT; default ${DEFAULT-VALUE}).")
    String maxBatchWait;

    /** Sets these options on {@code builder}; a bad value names its option. */
    public SinkConfig.Builder applyTo(SinkConfig.Builder builder) {
        return builder.maxPollRecords(maxPollRecords)
                .maxBatchRecords(maxBatchRecords)
                .maxBatchBytes(SinkConfig.parseSize("--max-batch-bytes", maxBatchBytes))
                .maxBatchWait(SinkConfig.parseDuration("--max-batch-wait", maxBatchWait));
    }
}
