package io.cdcmarts.processor.property;

import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The random workload through the real service on topics with three partitions: the keys the
 * processor computes (order ids of items, variant and product ids of totals) must land where the
 * raw rows are, or the ledgers would miss their inputs. Every mart topic, folded, ends equal to the
 * batch recomputation.
 */
class PartitionedPipelineIT {

    @TempDir
    Path stateDir;

    @Test
    void martsAreExactOnPartitionedTopics() throws Exception {
        Workload workload = new Workload(new Random(Long.getLong("cdc.test.seed", 11)));
        for (int i = 0, n = Integer.getInteger("cdc.test.changes", 800); i < n; i++) {
            workload.next();
        }
        BatchOracle oracle = new BatchOracle(workload.model());
        try (BrokerPipeline pipeline = new BrokerPipeline(SharedInfra.get().kafkaBootstrap(), "ppit", 3)) {
            ProcessorConfig config = ProcessorConfig.builder(pipeline.settings()).stateDir(stateDir)
                    .commitInterval(Duration.ofMillis(50)).build();
            pipeline.createTopics(config);
            pipeline.produce(workload.messages());
            try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry())) {
                service.start();
                await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(BrokerPipeline.differences(pipeline.marts(), oracle)).as("rows differing per mart").isEmpty());
            }
        }
    }
}
