package io.cdcmarts.processor;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessorHealthTest {

    @Test
    void rebalancingIsNotUpAndSaysItWaitsForPartitions() {
        // Given a processor restarted and waiting for its partitions
        var health = new ProcessorService.Status(KafkaStreams.State.REBALANCING, null, null).health();

        // Then /health says DOWN, and why
        assertThat(health.up()).isFalse();
        assertThat(health.toJson("processor").get("waiting").asText()).contains("partitions not assigned");
    }

    @Test
    void runningIsUpWithoutAWaitingNote() {
        var health = new ProcessorService.Status(KafkaStreams.State.RUNNING, null, null).health();
        assertThat(health.up()).isTrue();
        assertThat(health.toJson("processor").has("waiting")).isFalse();
    }
}
