package io.cdcmarts.processor.property;

import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.testing.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A processor restarted after a {@code kill -9} works again at once: its consumer is a static
 * member of the group, so the broker hands it its partitions back without waiting for the dead
 * member's session to time out. The session timeout here (10 min) is far above the await bound
 * (4 min, generous for a busy machine: at load 50 a start alone took over a minute), so only static
 * membership can make this pass; nothing is timed. The killed run's task
 * state has no checkpoint and is removed before Kafka Streams starts; a cleanly stopped run's is kept.
 */
class ProcessorRestartIT {

    private static final String LONG_SESSION = "session.timeout.ms=600000";
    /** What Kafka Streams logs when it finds task state it must wipe (under exactly-once, no checkpoint). */
    private static final String STREAMS_WIPES = "did not find checkpoint offsets while stores are not empty";

    @TempDir
    Path dir;

    @Test
    void restartedAfterKillMinusNineGetsItsPartitionsBackBeforeTheDeadSessionTimesOut() throws Exception {
        Workload workload = new Workload(new Random(Long.getLong("cdc.test.seed", 23)));
        String bootstrap = SharedInfra.get().kafkaBootstrap();
        try (BrokerPipeline pipeline = new BrokerPipeline(bootstrap, "restart", 2);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ProcessorConfig config = ProcessorConfig.builder(pipeline.settings()).stateDir(dir.resolve("state")).build();
            pipeline.createTopics(config);
            // The children's logs stay in target/ for the README's restart figures (first line to RUNNING)
            Path logs = Files.createDirectories(Path.of("target", "restart-logs"));
            try (ChildProcessor children = new ChildProcessor(pipeline, config, logs)) {
                // Given a processor that worked through some changes, then was killed with SIGKILL
                for (int i = 0; i < 200; i++) {
                    workload.next();
                }
                List<Workload.Message> first = List.copyOf(workload.messages());
                pipeline.produce(first);
                Process killed = children.start(0, "--streams-property", LONG_SESSION);
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                        .until(() -> children.rawOffsetsCommitted(admin) == first.size() || !killed.isAlive());
                assertThat(killed.isAlive()).as("first processor running (log: %s)", children.log(0)).isTrue();
                ChildProcessor.kill(killed);

                // When changes arrive and a processor starts again on the same state directory
                for (int i = 0; i < 100; i++) {
                    workload.next();
                }
                List<Workload.Message> all = List.copyOf(workload.messages());
                pipeline.produce(all.subList(first.size(), all.size()));
                Process restarted = children.start(1, "--streams-property", LONG_SESSION);

                // Then it consumes them while the dead member's session is still open, and the marts are the truth
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                        .until(() -> children.rawOffsetsCommitted(admin) == all.size() || !restarted.isAlive());
                assertThat(restarted.isAlive()).as("restarted processor running (log: %s)", children.log(1)).isTrue();
                BatchOracle oracle = new BatchOracle(workload.model());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(BrokerPipeline.differences(pipeline.marts(), oracle)).as("rows differing per mart").isEmpty());
                // The killed run's uncheckpointed task state was removed before Kafka Streams started,
                // so Streams found nothing to distrust and wipe
                String afterKill = Files.readString(children.log(1));
                assertThat(afterKill).contains("did not stop cleanly (killed?)").doesNotContain(STREAMS_WIPES);

                // And a cleanly stopped processor (SIGTERM) keeps its state for the next start
                restarted.destroy();
                assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM (log: %s)", children.log(1)).isTrue();
                assertThat(Files.readString(children.log(1))).contains("stream processor stopped cleanly");
                for (int i = 0; i < 50; i++) {
                    workload.next();
                }
                List<Workload.Message> more = workload.messages();
                pipeline.produce(more.subList(all.size(), more.size()));
                Process third = children.start(2);
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(1000))
                        .until(() -> children.rawOffsetsCommitted(admin) == more.size() || !third.isAlive());
                assertThat(third.isAlive()).as("third processor running (log: %s)", children.log(2)).isTrue();
                BatchOracle last = new BatchOracle(workload.model());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(BrokerPipeline.differences(pipeline.marts(), last)).as("rows differing per mart").isEmpty());
                assertThat(Files.readString(children.log(2))).doesNotContain("did not stop cleanly (killed?)").doesNotContain(STREAMS_WIPES);
            }
        }
    }
}
