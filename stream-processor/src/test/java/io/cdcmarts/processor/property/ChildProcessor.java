package io.cdcmarts.processor.property;

import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.testkit.ProcessorMain;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code cdc-marts process} as processes of their own on a pipeline's topics, for tests that kill
 * them with SIGKILL; {@link #close()} kills whatever is left.
 */
final class ChildProcessor implements AutoCloseable {

    private final BrokerPipeline pipeline;
    private final ProcessorConfig config;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();

    ChildProcessor(BrokerPipeline pipeline, ProcessorConfig config, Path logs) {
        this.pipeline = pipeline;
        this.config = config;
        this.logs = logs;
    }

    /** Starts run {@code round} on the config's state directory, with these extra options. */
    Process start(int round, String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ProcessorMain.class.getName(),
                "--kafka-bootstrap", pipeline.settings().bootstrap(), "--topic-prefix", pipeline.prefix(),
                "--topic-partitions", Integer.toString(pipeline.settings().partitions()),
                "--state-dir", config.stateDir().toString(), "--http-port", "-1"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(round).toFile()).start();
        processes.add(p);
        return p;
    }

    /** Where run {@code round} writes its output. */
    Path log(int round) {
        return logs.resolve("processor-" + round + ".log");
    }

    /** Raw-topic offsets the processor's group has committed (with its transactions): how far it got. */
    long rawOffsetsCommitted(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.applicationId())
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().startsWith(pipeline.prefix() + ".raw.") && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Kills the process with SIGKILL and waits for it to be gone. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed processor is still there after 30 s");
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
