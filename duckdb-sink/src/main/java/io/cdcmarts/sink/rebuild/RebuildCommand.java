package io.cdcmarts.sink.rebuild;

import io.cdcmarts.common.cli.Durations;
import io.cdcmarts.common.cli.KafkaOptions;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.BatchOptions;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.UntilStopped;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code cdc-marts rebuild --duckdb NEW_PATH}: a new DuckDB file from every topic, from offset 0,
 * with progress; exit 0 once it caught up with the end offsets noted at its start. Ctrl-C stops it
 * with the file closed and consistent (exit 130).
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Build a NEW DuckDB file from every raw, stg, mart and dlq topic from offset 0, through the sink's "
                + "own code path, printing progress; stops when every partition reached its end offset of the start.",
                "It never touches the live file: it refuses a path that exists. To swap the result in, stop the sink, "
                        + "move the file over the live one and start the sink again."})
public class RebuildCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--duckdb", paramLabel = "NEW_PATH", defaultValue = "${env:CDC_REBUILD_DUCKDB_PATH:-}",
            description = "The new DuckDB file; it must not exist (env CDC_REBUILD_DUCKDB_PATH; required).")
    Path duckdb;

    @Option(names = "--layers", paramLabel = "LIST", defaultValue = "${env:CDC_SINK_LAYERS:-raw,stg,mart,dlq}",
            description = "Layers to rebuild, any of raw,stg,mart,dlq (env CDC_SINK_LAYERS; default ${DEFAULT-VALUE}).")
    String layers;

    @Mixin
    BatchOptions batch = new BatchOptions();

    @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "${env:CDC_REBUILD_PROGRESS_EVERY:-5s}",
            description = "How often to print progress (env CDC_REBUILD_PROGRESS_EVERY; default ${DEFAULT-VALUE}).")
    String progressEvery;

    @Override
    public Integer call() throws Exception {
        if (duckdb == null || duckdb.toString().isBlank()) {
            throw new IllegalArgumentException("--duckdb (CDC_REBUILD_DUCKDB_PATH) is required: the new file to build");
        }
        Rebuild.requireNewFile(duckdb);
        KafkaSettings kafkaSettings = kafka.settings();
        SinkConfig config = batch.applyTo(SinkConfig.builder(kafkaSettings))
                .duckdbPath(duckdb)
                .layers(SinkConfig.parseLayers(layers))
                .build();
        Duration every = Durations.positive("--progress-every", progressEvery);
        Rebuild rebuild = new Rebuild(config, every, kafkaSettings.timeout(), spec.commandLine().getOut(), Clock.systemUTC());
        return UntilStopped.run("rebuild", rebuild::stop, () -> rebuild.run().caughtUp() ? 0 : 130);
    }
}
