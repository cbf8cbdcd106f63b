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
 * The failing-first reproduction of issue #8. A backlog, read by a processor started after it was
 * written: a busy orders table (thousands of updates), then 150 new orders, each paid, given two
 * items and cancelled a few milliseconds of source time later. The record timestamps are the
 * changes' source times, as a capture that writes each change when it commits leaves them.
 *
 * <p>The orders side of the task is behind its items side, so the items' join requests wait for it,
 * and Kafka Streams, which takes a task's next record by timestamp, then reads the paid version, the
 * item, and the cancel within one commit interval. The old foreign-key chain counted such an item
 * against the paid version in the record cache and never retracted it: `revenue_by_product_variant`
 * and every mart above it ended higher than the truth.
 */
class CancelMomentsAfterPaymentIT {

    @TempDir
    Path stateDir;

    @Test
    void linesOfOrdersCancelledWithinOneCommitIntervalAreNotCounted() throws Exception {
        Workload workload = new Workload(new Random(Long.getLong("cdc.test.seed", 8)));
        for (int i = 0; i < 300; i++) {
            workload.next();
        }
        workload.churnOrders(20_000, 5);
        workload.payThenCancelMomentsApart(1_000, 150);
        BatchOracle oracle = new BatchOracle(workload.model());

        try (BrokerPipeline pipeline = new BrokerPipeline(SharedInfra.get().kafkaBootstrap(), "cmap", 1)) {
            ProcessorConfig config = ProcessorConfig.builder(pipeline.settings()).stateDir(stateDir).build();
            pipeline.createTopics(config);
            pipeline.produceAtSourceTimes(workload.messages());
            try (ProcessorService service = new ProcessorService(config, new SimpleMeterRegistry())) {
                service.start();
                await().atMost(3, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(BrokerPipeline.differences(pipeline.marts(), oracle)).as("rows differing per mart").isEmpty());
            }
        }
    }
}
