package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.testkit.ProcessorHarness;
import io.cdcmarts.processor.testkit.RawEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static io.cdcmarts.processor.testkit.Fixtures.item;
import static io.cdcmarts.processor.testkit.Fixtures.product;
import static io.cdcmarts.processor.testkit.Fixtures.variant;
import static io.cdcmarts.processor.testkit.Row.$;
import static org.assertj.core.api.Assertions.assertThat;

/** The staging rows themselves: cleaning, types, metadata, deletes, TOAST, open-failure streaks. */
class StagingRowsTest {

    @Test
    void textIsTrimmedAndCaseFoldedBeforeTheChecks() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1).with("full_name", "  Ada Lovelace\t").with("email", " Ada@Example.COM ")
                    .with("country", " France "));
            h.insert("products", product(10, " T-Shirts ").with("sku", " sku-10a ").with("name", " Tee "));
            h.insert("product_variants", variant(100, 10, " m ", "10.00").with("variant_sku", "var-100")
                    .with("color", " Red "));

            ObjectNode c = h.stg("customers", 1);
            assertThat(c.get("full_name").asText()).isEqualTo("Ada Lovelace");
            assertThat(c.get("email").asText()).isEqualTo("ada@example.com");
            assertThat(c.get("country").asText()).isEqualTo("France");
            ObjectNode p = h.stg("products", 10);
            assertThat(p.get("category").asText()).isEqualTo("t-shirts");
            assertThat(p.get("sku").asText()).isEqualTo("SKU-10A");
            assertThat(p.get("name").asText()).isEqualTo("Tee");
            ObjectNode v = h.stg("product_variants", 100);
            assertThat(v.get("size").asText()).isEqualTo("M");
            assertThat(v.get("variant_sku").asText()).isEqualTo("VAR-100");
            assertThat(v.get("color").asText()).isEqualTo("Red");
        }
    }

    @Test
    void stagingRowsCarryTheSourceColumnsTypedPlusLsnAndSourceTs() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("order_items", item(5000, 1000, 100, 3, "12.5"));

            TypedRow row = h.lastRow("shop.stg.order_items");
            assertThat(row.columns()).extracting(ColumnSpec::name).containsExactly(
                    "id", "order_id", "variant_id", "quantity", "unit_price", "total_price", "created_at", "_lsn", "_source_ts");
            ColumnSpec unitPrice = row.columns().get(4);
            assertThat(unitPrice.type()).isEqualTo("bytes");
            assertThat(unitPrice.logical()).isEqualTo(ColumnSpec.DECIMAL);
            assertThat(unitPrice.scale()).isEqualTo(2);
            assertThat(unitPrice.precision()).isEqualTo(10);
            assertThat(row.columns().get(5).precision()).isEqualTo(12);
            assertThat(row.columns().get(7).type()).isEqualTo("int64");
            assertThat(row.columns().get(8).logical()).isEqualTo(ColumnSpec.ZONED_TIMESTAMP);
            // exact decimals at the column's scale; total_price = quantity * unit_price
            assertThat(row.values().get("unit_price").decimalValue()).isEqualByComparingTo("12.50");
            assertThat(row.values().get("unit_price").decimalValue().scale()).isEqualTo(2);
            assertThat(row.values().get("total_price").decimalValue()).isEqualTo($("37.50"));
            assertThat(row.values().get("_lsn").asLong()).isEqualTo(h.lastLsn("order_items", 5000));
            assertThat(Instant.parse(row.values().get("_source_ts").asText()).toEpochMilli()).isEqualTo(h.lastSourceTs());
        }
    }

    @Test
    void totalPriceIsComputedEvenWhenTheSourceLacksOrMisstatesIt() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("order_items", item(5000, 1000, 100, 2, "10.00").with("total_price", null)); // PG < 18
            h.insert("order_items", item(5001, 1000, 100, 2, "10.00").with("total_price", $("99.99")));

            assertThat(h.stg("order_items", 5000).get("total_price").decimalValue()).isEqualTo($("20.00"));
            assertThat(h.stg("order_items", 5001).get("total_price").decimalValue()).isEqualTo($("20.00"));
        }
    }

    @Test
    void aDeletedRowLeavesStaging() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1));
            h.delete("customers", customer(1));

            assertThat(h.stg("customers")).isEmpty();
        }
    }

    @Test
    void anUnavailableToastedValueKeepsThePreviousValue() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1).with("full_name", "A very long name"));
            // an update of age that leaves the TOASTed name untouched
            h.update("customers", customer(1).with("full_name", RawChangeEvent.UNAVAILABLE_VALUE).with("age", 40));

            ObjectNode c = h.stg("customers", 1);
            assertThat(c.get("full_name").asText()).isEqualTo("A very long name");
            assertThat(c.get("age").asInt()).isEqualTo(40);
        }
    }

    @Test
    void anUnavailableValueWithNoKnownEarlierVersionIsNull() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.update("customers", customer(1).with("full_name", RawChangeEvent.UNAVAILABLE_VALUE));

            assertThat(h.stg("customers", 1)).isNull();
            assertThat(h.deadLetters("customers").get(0).failures().get(0).check()).isEqualTo("not_null");
        }
    }

    @Test
    void snapshotReadsAreInserts() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.change("customers", "r", null, customer(1));

            assertThat(h.stg("customers", 1)).isNotNull();
        }
    }

    @Test
    void aRepeatedEventChangesNothingAndIsNotDeadLetteredTwice() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            byte[] bad = RawEvents.event("customers", "c", null, customer(1).with("age", 500), 2000, 1_709_283_600_000L);
            h.pipe("customers", RawEvents.key(1), bad);
            h.pipe("customers", RawEvents.key(1), bad);

            assertThat(h.deadLetters("customers")).hasSize(1);
            assertThat(h.openFailures()).hasSize(1);
        }
    }

    @Test
    void theFailureStreakStartsAtTheFirstFailingVersion() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1).with("age", 500));
            long firstFailure = h.lastSourceTs();
            h.update("customers", customer(1).with("age", 600));
            h.update("customers", customer(1).with("age", 700).with("email", "bad"));

            ObjectNode open = h.openFailure("customers", 1);
            assertThat(Instant.parse(open.get("since").asText()).toEpochMilli()).isEqualTo(firstFailure);
            assertThat(open.get("checks").asText()).isEqualTo("pattern,max");
            assertThat(open.get("last_lsn").asLong()).isEqualTo(h.lastLsn("customers", 1));
            assertThat(h.deadLetters("customers")).hasSize(3);

            // fixed, then broken again: a new streak
            h.update("customers", customer(1));
            h.update("customers", customer(1).with("age", 800));
            assertThat(Instant.parse(h.openFailure("customers", 1).get("since").asText()).toEpochMilli())
                    .isEqualTo(h.lastSourceTs());
        }
    }

    @Test
    void deadLettersCarryTheDetectionTimeAndSource() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.advanceWallClock(Duration.ofMinutes(5));
            h.insert("products", product(10, "gadgets"));

            var dl = h.deadLetters("products").get(0);
            assertThat(dl.detectedAt()).isEqualTo(Instant.parse("2024-03-02T00:05:00Z"));
            assertThat(dl.source().sourceTs().toEpochMilli()).isEqualTo(h.lastSourceTs());
            assertThat(dl.source().offset()).isZero();
            assertThat(dl.row().get("category").asText()).isEqualTo("gadgets");
            assertThat(dl.failures().get(0).value().asText()).isEqualTo("gadgets");
        }
    }

    @Test
    void decimalsInOtherDebeziumEncodingsAreReadExactly() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("products", product(10, "hoodies"));
            // decimal.handling.mode=string, and the Connect default (base64 of the unscaled value: 1234 -> "BNI=")
            h.insert("product_variants", variant(100, 10, "M", "1.00").with("manufacturing_price", "7.25")
                    .with("selling_price", "BNI="));

            ObjectNode v = h.stg("product_variants", 100);
            assertThat(v.get("manufacturing_price").decimalValue()).isEqualTo($("7.25"));
            assertThat(v.get("selling_price").decimalValue()).isEqualTo($("12.34"));
        }
    }
}
