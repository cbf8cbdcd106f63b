package io.cdcmarts.processor;

import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.topology.ProcessorTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyNamingTest {

    @Test
    void everyProcessorStoreAndTopicHasAnExplicitName() {
        String description = ProcessorTopology.build(
                ProcessorConfig.builder(KafkaSettings.of("k:9092", "shop")).build(), new SimpleMeterRegistry())
                .describe().toString();

        Matcher generated = Pattern.compile("K(STREAM|TABLE)-[A-Z-]+-\\d{10}").matcher(description);
        java.util.List<String> names = new java.util.ArrayList<>();
        while (generated.find()) {
            names.add(generated.group());
        }
        assertThat(names).as("generated names in\n%s", description).isEmpty();
    }
}
