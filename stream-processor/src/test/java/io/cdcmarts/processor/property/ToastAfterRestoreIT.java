package io.cdcmarts.processor.property;

import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.processor.ProcessorService;
import io.cdcmarts.processor.config.ProcessorConfig;
import io.cdcmarts.processor.testkit.RawEvents;
import io.cdcmarts.processor.testkit.Row;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An unavailable TOASTed value is filled from the raw table's store (RawIntake), so that store must
 * hold the row last forwarded for the key after the processor starts on empty local state: what it
 * restores from the store's changelog. A processor works through inserts and a delete, stops, and a
 * second one on a new state directory (nothing local: every store restored from its changelog)
 * reads updates whose text columns are unavailable. The customer marts count the staging rows, so
 * they show whether each update got the text its key had before: the country of the row still
 * there, and nothing for the deleted row (its name becomes NULL and fails {@code not_null}).
 */
class ToastAfterRestoreIT {

    private static final String FRANCE = "{\"country\":\"France\"}";
    private static final String SPAIN = "{\"country\":\"Spain\"}";

    @TempDir
    Path dir;

    private long lsn = 1_000;
    private long sourceTs = 1_709_283_600_000L;

    @Test
    void unavailableValuesAreFilledFromTheRestoredRawTable() {
        try (BrokerPipeline pipeline = new BrokerPipeline(SharedInfra.get().kafkaBootstrap(), "toast", 1)) {
            ProcessorConfig first = config(pipeline, "first");
            pipeline.createTopics(first);

            // Given a processor that staged customer 1 (France) and saw customer 2 (Spain) come and go
            Row ada = customer(1).with("country", "France").with("age", 36);
            Row bob = customer(2).with("full_name", "Bob").with("country", "Spain").with("age", 20);
            List<Workload.Message> before = new ArrayList<>();
            before.add(change("c", null, ada));
            before.add(change("c", null, bob));
            before.add(change("d", bob, null));
            before.add(new Workload.Message("customers", RawEvents.key(2), null, sourceTs)); // its tombstone
            pipeline.produce(before);
            try (ProcessorService service = new ProcessorService(first, new SimpleMeterRegistry())) {
                service.start();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Map<String, Map<String, String>> byCountry = byCountry(pipeline);
                    return byCountry.containsKey(FRANCE) && !byCountry.containsKey(SPAIN) && byAge(pipeline).containsKey(band("35-44"));
                });
            }

            // When a processor with no local state reads updates that leave their text TOASTed:
            // two in a row for customer 1 (the second must see what the first filled in) and one
            // for the deleted customer 2
            List<Workload.Message> after = new ArrayList<>();
            after.add(change("u", null, ada.with("age", 40)
                    .with("country", RawChangeEvent.UNAVAILABLE_VALUE).with("full_name", RawChangeEvent.UNAVAILABLE_VALUE)));
            after.add(change("u", null, ada.with("age", 50).with("country", RawChangeEvent.UNAVAILABLE_VALUE)));
            after.add(change("u", null, bob.with("age", 21)
                    .with("country", RawChangeEvent.UNAVAILABLE_VALUE).with("full_name", RawChangeEvent.UNAVAILABLE_VALUE)));
            pipeline.produce(after);
            try (ProcessorService service = new ProcessorService(config(pipeline, "restored"), new SimpleMeterRegistry())) {
                service.start();

                // Then customer 1 keeps its country through both updates, and customer 2 gets no
                // text from the version deleted before
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    Map<String, Map<String, String>> byAge = byAge(pipeline);
                    assertThat(byAge).as("customers_by_age").containsOnlyKeys(band("45-54"));
                    assertThat(byCountry(pipeline)).as("customers_by_country").containsOnlyKeys(FRANCE);
                    assertThat(byCountry(pipeline).get(FRANCE)).containsEntry("customers", "1");
                });
            }
        }
    }

    private ProcessorConfig config(BrokerPipeline pipeline, String stateDir) {
        return ProcessorConfig.builder(pipeline.settings()).stateDir(dir.resolve(stateDir))
                .commitInterval(Duration.ofMillis(50)).build();
    }

    private Workload.Message change(String op, Row before, Row after) {
        lsn += 10;
        sourceTs += 1_000;
        long id = (after != null ? after : before).id();
        return new Workload.Message("customers", RawEvents.key(id), RawEvents.event("customers", op, before, after, lsn, sourceTs), sourceTs);
    }

    private static String band(String band) {
        return "{\"age_band\":\"" + band + "\"}";
    }

    private static Map<String, Map<String, String>> byCountry(BrokerPipeline pipeline) {
        return pipeline.marts().getOrDefault("customers_by_country", Map.of());
    }

    private static Map<String, Map<String, String>> byAge(BrokerPipeline pipeline) {
        return pipeline.marts().getOrDefault("customers_by_age", Map.of());
    }
}
