package io.cdcmarts.processor.serde;

import io.cdcmarts.common.event.SchemaDirectory;
import io.cdcmarts.common.event.SchemaIds;
import io.cdcmarts.processor.raw.RawMessage;
import io.cdcmarts.processor.testkit.RawEvents;
import io.cdcmarts.testing.InMemorySchemaLog;
import io.cdcmarts.testing.LeanMessages;
import io.cdcmarts.testing.LeanMessages.Lean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import static io.cdcmarts.processor.testkit.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

class RawMessageSerdeTest {

    private static final byte[] INLINE = RawEvents.event("orders", "c", null, order(1000, 1, "paid", "2024-03-01T10:00:00Z"), 103, 1_000);

    private final InMemorySchemaLog log = new InMemorySchemaLog();
    private final Deserializer<RawMessage> deserializer = new RawMessageSerde(new SchemaDirectory(log)).deserializer();

    private static RecordHeaders naming(String schemaId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SchemaIds.HEADER, SchemaIds.bytes(schemaId));
        return headers;
    }

    @Test
    void aLeanMessageIsReadWithTheSchemaItsHeaderNames() {
        // Given the schema on the log and the payload naming it
        Lean lean = LeanMessages.of(INLINE);
        log.add(lean.schemaId(), lean.schemaJson());

        // When
        RawMessage message = deserializer.deserialize("shop.raw.orders", naming(lean.schemaId()), lean.payload());

        // Then the same event as the inline envelope
        RawMessage inline = deserializer.deserialize("shop.raw.orders", new RecordHeaders(), INLINE);
        assertThat(message).isInstanceOf(RawMessage.Event.class);
        assertThat(((RawMessage.Event) message).event()).isEqualTo(((RawMessage.Event) inline).event());
        assertThat(((RawMessage.Event) message).event().after().get("status").asText()).isEqualTo("paid");
    }

    @Test
    void aMessageNamingASchemaTheLogDoesNotHaveIsMalformedNotAnError() {
        // Given a payload whose schema was never written
        Lean lean = LeanMessages.of(INLINE);

        // When
        RawMessage message = deserializer.deserialize("shop.raw.orders", naming(lean.schemaId()), lean.payload());

        // Then a dead letter with the reason, the bytes kept
        assertThat(message).isInstanceOfSatisfying(RawMessage.Malformed.class, m -> {
            assertThat(m.reason()).contains(lean.schemaId()).contains(SchemaIds.HEADER).contains("read to its end");
            assertThat(m.bytes()).isEqualTo(lean.payload());
        });
    }

    @Test
    void withoutHeadersTheInlineEnvelopeIsRead() {
        assertThat(deserializer.deserialize("shop.raw.orders", INLINE)).isInstanceOf(RawMessage.Event.class);
        assertThat(deserializer.deserialize("shop.raw.orders", new RecordHeaders(), (byte[]) null)).isNull();
        assertThat(log.reads()).as("an inline message never reads the schema log").isZero();
    }
}
