package io.cdcmarts.processor.reprocess;

import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.topology.ProcessorTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The internal topics a reset deletes are exactly our topology's, under our application id. */
class InternalTopicsTest {

    @Test
    void derivedFromTheTopologyUnderTheApplicationId() {
        // Given the processor's topology under application id "app"
        ProcessorConfig config = ProcessorConfig.builder(KafkaSettings.of("test:9092", "shop")).applicationId("app").build();
        // When its internal topic names are derived
        Set<String> names = InternalTopics.of(ProcessorTopology.build(config, new SimpleMeterRegistry()), "app",
                t -> t.startsWith("shop."));
        // Then they are the changelogs and repartition topics (the variant join's too), all under "app-"
        assertThat(names).contains("app-customers-raw-changelog",
                "app-variant-join-by-product-repartition", "app-variant-join-results-repartition",
                "app-variant-join-latest-changelog",
                "app-order-item-lines-repartition", "app-variant-deltas-repartition", "app-order-ledger-changelog");
        assertThat(names).allMatch(n -> n.startsWith("app-")).noneMatch(n -> n.contains("shop."));
        // order items are a stream: no store holds their raw rows
        assertThat(names).doesNotContain("app-order_items-raw-changelog");
        // a customer's revenue orders are summed by its kpi feed alone, through the same repartition topic
        assertThat(names).contains("app-customer-deltas-repartition", "app-customer-kpi-feed-changelog")
                .doesNotContain("app-customer-totals-changelog");
        // and only the changelogs are not read back
        assertThat(names.stream().filter(InternalTopics::isSource)).isNotEmpty()
                .allMatch(n -> n.endsWith("-repartition") || n.endsWith("-topic"));
    }
}
