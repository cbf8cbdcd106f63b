package io.cdcmarts.sink;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The read-only replica's options, which {@code sink} and {@code local} share. */
public final class ReplicaOptions {

    @Option(names = "--replica", paramLabel = "PATH", defaultValue = "${env:CDC_SINK_REPLICA:-}",
            description = "Keep a read-only copy of the DuckDB file here, swapped in whole at each refresh, that any DuckDB "
                    + "client may open while the sink runs (env CDC_SINK_REPLICA; default none).")
    String replica;

    @Option(names = "--replica-every", paramLabel = "DURATION", defaultValue = "${env:CDC_SINK_REPLICA_EVERY:-30s}",
            description = "How often the replica is refreshed, e.g. 30s, 5m (env CDC_SINK_REPLICA_EVERY; default ${DEFAULT-VALUE}).")
    String replicaEvery;

    /** Sets these options on {@code builder}; a bad value names its option. */
    public SinkConfig.Builder applyTo(SinkConfig.Builder builder) {
        return builder.replicaPath(replica == null || replica.isBlank() ? null : Path.of(replica.trim()))
                .replicaEvery(SinkConfig.parseDuration("--replica-every", replicaEvery));
    }
}
