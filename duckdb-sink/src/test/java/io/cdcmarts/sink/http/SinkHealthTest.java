package io.cdcmarts.sink.http;

import io.cdcmarts.sink.SinkStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SinkHealthTest {

    private static SinkStatus running(int partitions) {
        return new SinkStatus(true, Map.of(), 0, 0, Duration.ZERO, null, null, 0, 0, null, null, partitions);
    }

    @Test
    void aRunningSinkWithNoPartitionIsNotUpAndSaysSo() {
        var health = SinkHttp.health(running(0));
        assertThat(health.up()).isFalse();
        assertThat(health.toJson("sink").get("waiting").asText()).startsWith("no partitions assigned yet");
        assertThat(health.toJson("sink").get("partitions").asInt()).isZero();
    }

    @Test
    void aRunningSinkReadingPartitionsIsUp() {
        var health = SinkHttp.health(running(3));
        assertThat(health.up()).isTrue();
        assertThat(health.toJson("sink").has("waiting")).isFalse();
        assertThat(health.toJson("sink").get("partitions").asInt()).isEqualTo(3);
    }
}
