package io.cdcmarts.processor.quality;

import io.cdcmarts.processor.marts.Mart;
import io.cdcmarts.processor.testkit.ProcessorHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static org.assertj.core.api.Assertions.assertThat;

/** The topology runs the rules it is given: a rules file's changes reach staging, quality and marts. */
class RulesFileTopologyTest {

    @Test
    void aTightenedAndADisabledCheckChangeStagingDeadLettersAndMarts() {
        // Given rules that cap age at 60 and no longer check the email pattern
        RuleSet rules = RulesFile.apply("test", List.of("customers.age.max = 60", "customers.email.pattern = off"),
                StagingRules.DEFAULTS);
        try (ProcessorHarness h = new ProcessorHarness(rules)) {
            // When a 70-year-old and a customer with a malformed email arrive
            h.insert("customers", customer(1).with("age", 70));
            h.insert("customers", customer(2).with("email", "not-an-email"));
            // Then the first fails max (dead letter, open failure, no 65+ band), the second is staged
            assertThat(h.stg("customers", 1)).isNull();
            assertThat(h.deadLetters("customers")).singleElement()
                    .satisfies(dl -> assertThat(dl.failures().get(0).check()).isEqualTo("max"));
            assertThat(h.openFailure("customers", 1).get("checks").asText()).isEqualTo("max");
            assertThat(h.stg("customers", 2)).isNotNull();
            assertThat(h.openFailure("customers", 2)).isNull();
            assertThat(h.mart(Mart.CUSTOMERS_BY_AGE)).containsOnlyKeys("{\"age_band\":\"35-44\"}");
        }
        // And with the built-in rules the same rows go the other way
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1).with("age", 70));
            h.insert("customers", customer(2).with("email", "not-an-email"));
            assertThat(h.stg("customers", 1)).isNotNull();
            assertThat(h.stg("customers", 2)).isNull();
            assertThat(h.openFailure("customers", 2).get("checks").asText()).isEqualTo("pattern");
        }
    }
}
