package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.KeptBytes;
import io.cdcmarts.processor.testkit.ProcessorHarness;
import io.cdcmarts.processor.testkit.RawEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.cdcmarts.processor.testkit.Fixtures.customer;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages that cannot be read become dead letters ({@code malformed}) and never stop the topology. */
class MalformedMessagesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unreadableValuesAreDeadLetteredWithTheirBytesAndProcessingGoesOn() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.insert("customers", customer(1));
            // not JSON; JSON of the wrong shape; an envelope without schema; an unknown op
            h.pipe("customers", RawEvents.key(1), bytes("not json {"));
            h.pipe("customers", RawEvents.key(1), bytes("[1,2,3]"));
            h.pipe("customers", RawEvents.key(1), bytes("{\"payload\":{\"op\":\"c\",\"after\":{\"id\":1}}}"));
            h.pipe("customers", RawEvents.key(1), bytes("{\"schema\":{},\"payload\":{\"op\":\"x\"}}"));
            h.insert("customers", customer(2));

            var letters = h.deadLetters("customers");
            assertThat(letters).hasSize(4).allSatisfy(dl -> {
                assertThat(dl.failures()).singleElement().extracting(DeadLetter.Failure::check).isEqualTo("malformed");
                assertThat(dl.key().get("id").asLong()).isEqualTo(1);
                assertThat(dl.source().topic()).isEqualTo("shop.raw.customers");
                assertThat(dl.row()).isNull();
            });
            assertThat(new String(Base64.getDecoder().decode(letters.get(0).rawBase64()), StandardCharsets.UTF_8))
                    .isEqualTo("not json {");
            assertThat(letters).extracting(dl -> dl.source().offset()).containsExactly(1L, 2L, 3L, 4L);
            // the row that was there stays; later rows are processed
            assertThat(h.stg("customers")).containsOnlyKeys("{\"id\":1}", "{\"id\":2}");
            // a malformed message is not a failing row version
            assertThat(h.openFailures()).isEmpty();
        }
    }

    @Test
    void aLargeUnreadableValueKeepsAPrefixItsLengthAndItsDigestSoItsDeadLetterFitsInARecord() throws Exception {
        try (ProcessorHarness h = new ProcessorHarness()) {
            byte[] huge = bytes("x".repeat(900 * 1024)); // not JSON
            h.pipe("customers", RawEvents.key(1), huge);
            h.insert("customers", customer(2));

            DeadLetter dl = h.deadLetters("customers").get(0);
            assertThat(Base64.getDecoder().decode(dl.rawBase64())).hasSize(KeptBytes.WHOLE_LIMIT)
                    .isEqualTo(java.util.Arrays.copyOf(huge, KeptBytes.WHOLE_LIMIT));
            assertThat(dl.rawLength()).isEqualTo(huge.length);
            assertThat(dl.rawSha256()).isEqualTo(java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(huge)));
            assertThat(dl.toBytes().length).as("fits in the default 1 MB record").isLessThan(KeptBytes.WHOLE_LIMIT * 2);
            assertThat(h.stg("customers")).containsOnlyKeys("{\"id\":2}");
        }
    }

    @Test
    void aHugeBadValueInARowIsCarriedOnceByItsDeadLetter() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            String huge = "y".repeat(900 * 1024);
            h.insert("customers", customer(1).with("age", huge));

            DeadLetter dl = h.deadLetters("customers").get(0);
            assertThat(dl.row().get("age").textValue()).as("the row is kept whole").isEqualTo(huge);
            DeadLetter.Failure failure = dl.failures().get(0);
            assertThat(failure.check()).isEqualTo("valid_type");
            assertThat(failure.value().textValue()).startsWith("yyy").hasSizeLessThan(1100);
            assertThat(failure.message()).startsWith("age is not a valid int32").endsWith("characters)").hasSizeLessThan(1100);
            assertThat(dl.toBytes().length).isLessThan(huge.length() + 10_000);
        }
    }

    @Test
    void aMessageWithAnUnreadableKeyIsDeadLetteredWithoutAKey() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            byte[] event = RawEvents.event("customers", "c", null, customer(1), 100, 1_000);
            h.pipe("customers", bytes("42"), event);
            h.pipe("customers", bytes("{\"uuid\":\"x\"}"), null);
            h.pipe("customers", null, event);

            assertThat(h.deadLetters("customers")).hasSize(3).allSatisfy(dl -> {
                assertThat(dl.key()).isNull();
                assertThat(dl.failures().get(0).check()).isEqualTo("malformed");
                assertThat(dl.failures().get(0).message()).contains("key");
            });
            assertThat(h.stg("customers")).isEmpty();
        }
    }

    @Test
    void malformedMessagesAreCounted() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            h.pipe("orders", RawEvents.key(1), bytes("\u0000\u0001binary"));

            assertThat(h.registry().get(QualityMetrics.CHECK_FAILURES).tags("table", "orders", "check", "malformed")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void keysWithSchemaEnvelopesAreUnderstood() {
        try (ProcessorHarness h = new ProcessorHarness()) {
            byte[] key = bytes("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":7}}");
            h.pipe("customers", key, RawEvents.event("customers", "c", null, customer(7), 100, 1_000));

            assertThat(h.stg("customers", 7)).isNotNull();
        }
    }
}
