package io.cdcmarts.common.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaOptionsTest {

    @Command(name = "any")
    static final class AnyCommand implements Runnable {
        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Override
        public void run() {
        }
    }

    private static KafkaOptions parse(String... args) {
        AnyCommand command = new AnyCommand();
        new CommandLine(command).parseArgs(args);
        return command.kafka;
    }

    @Test
    void theBrokerIsWaitedForThirtySecondsByDefault() {
        assertThat(parse().settings().timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void kafkaTimeoutSetsTheWait() {
        assertThat(parse("--kafka-timeout", "1500ms").settings().timeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aTimeoutOfZeroIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--kafka-timeout", "0s").settings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kafka-timeout");
    }
}
