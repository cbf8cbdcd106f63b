package io.cdcmarts.processor.property;

import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.marts.LedgerDump;
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
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the processor in the middle of a stream, twice, on a real broker at 2
 * partitions with exactly_once_v2 and its record caches on: the processor runs as a process of its
 * own ({@code cdc-marts process}), is killed with SIGKILL while it works through changes (orders
 * paid and cancelled moments later among random changes of every table), and restarted on the same
 * state directory; more changes arrive while it is down. Once it has caught up, every mart equals
 * the batch recomputation: no difference lost with the killed process, none counted twice.
 */
class ProcessorKillIT {

    @TempDir
    Path dir;

    @Test
    void killMinusNineTwiceMidStreamThenEveryMartEqualsTheBatchTruth() throws Exception {
        Workload workload = new Workload(new Random(Long.getLong("cdc.test.seed", 17)));
        String bootstrap = SharedInfra.get().kafkaBootstrap();
        try (BrokerPipeline pipeline = new BrokerPipeline(bootstrap, "kill", 2);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ProcessorConfig config = ProcessorConfig.builder(pipeline.settings()).stateDir(dir.resolve("state")).build();
            pipeline.createTopics(config);
            // The children's logs stay in target/ to read after a failure
            Path logs = Files.createDirectories(Path.of("target", "kill-logs", pipeline.prefix()));
            try (ChildProcessor children = new ChildProcessor(pipeline, config, logs)) {
                int sent = 0;
                for (int round = 0; round < 3; round++) {
                    // Given changes written while the processor is down (or about to start)
                    for (int i = 0; i < 600; i++) {
                        workload.next();
                    }
                    workload.payAndCancel(10_000 + 1_000L * round, 100);
                    List<Workload.Message> all = workload.messages();
                    pipeline.produce(all.subList(sent, all.size()));
                    long target = sent + (all.size() - sent) / 3;
                    sent = all.size();

                    Process processor = children.start(round);
                    if (round == 2) {
                        break; // the last start runs to the end
                    }
                    // When it is killed with SIGKILL a third of the way into the new changes
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                            .until(() -> children.rawOffsetsCommitted(admin) >= target || !processor.isAlive());
                    assertThat(processor.isAlive()).as("processor still running before the kill (log: %s)", children.log(round)).isTrue();
                    ChildProcessor.kill(processor);
                }

                // Then, once the last one caught up, every mart is the batch truth, to the cent
                BatchOracle oracle = new BatchOracle(workload.model());
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    Map<String, Map<String, Map<String, String>>> marts = pipeline.marts();
                    assertThat(BrokerPipeline.differences(marts, oracle))
                            .as(() -> "rows differing per mart (logs in " + logs.toAbsolutePath() + "):"
                                    + BrokerPipeline.differingRows(marts, oracle, 10) + productsExplained(marts, oracle, bootstrap, config))
                            .isEmpty();
                });
            }
        }
    }

    /** For each product row that differs: what the processor's ledgers hold for it, and the truth. */
    private static String productsExplained(Map<String, Map<String, Map<String, String>>> marts, BatchOracle oracle,
                                            String bootstrap, ProcessorConfig config) {
        StringBuilder out = new StringBuilder();
        Map<String, Map<String, String>> got = marts.getOrDefault("revenue_by_product", Map.of());
        Map<String, Map<String, String>> want = oracle.marts.getOrDefault("revenue_by_product", Map.of());
        Set<String> keys = new TreeSet<>(got.keySet());
        keys.addAll(want.keySet());
        for (String key : keys) {
            if (!Objects.equals(got.get(key), want.get(key))) {
                long productId = Long.parseLong(key.replaceAll("[^0-9]", ""));
                out.append(System.lineSeparator()).append(LedgerDump.product(bootstrap, config.applicationId(), productId))
                        .append(System.lineSeparator()).append(oracle.productBreakdown(productId));
            }
        }
        return out.toString();
    }
}
