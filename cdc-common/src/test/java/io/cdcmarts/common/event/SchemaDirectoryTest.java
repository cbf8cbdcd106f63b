package io.cdcmarts.common.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaDirectoryTest {

    private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"}],\"optional\":true,\"field\":\"before\"},"
            + "{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"},"
            + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},\"field\":\"price\"}],\"optional\":true,\"field\":\"after\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"}],\"optional\":false}";
    private static final byte[] SCHEMA_BYTES = SCHEMA.getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAYLOAD = "{\"before\":null,\"after\":{\"id\":7,\"price\":12.30},\"op\":\"c\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aLeanMessageIsReadWithTheSchemaItsIdNames() {
        // Given a log holding the schema under its id
        MemorySchemaLog log = new MemorySchemaLog();
        String id = SchemaIds.of(SCHEMA_BYTES);
        log.entries.add(new SchemaLog.Entry(id, SCHEMA_BYTES));
        SchemaDirectory directory = new SchemaDirectory(log);

        // When two messages naming it are read
        RawChangeEvent first = RawChangeEvent.parse(PAYLOAD, id, directory);
        RawChangeEvent second = RawChangeEvent.parse(PAYLOAD, id, directory);

        // Then each knows its columns' types, precision and scale, and the log was read once
        assertThat(first.after().get("price").decimalValue()).isEqualByComparingTo("12.30");
        ColumnSpec price = first.columns().get(1);
        assertThat(price.logical()).isEqualTo(ColumnSpec.DECIMAL);
        assertThat(price.scale()).isEqualTo(2);
        assertThat(price.precision()).isEqualTo(10);
        assertThat(second.columns()).isSameAs(first.columns());
        assertThat(log.reads).isEqualTo(1);
    }

    @Test
    void aSchemaWrittenAfterTheFirstLookUpIsFoundByReadingOnToTheEnd() {
        // Given a directory that has read the log once, before a schema change was published
        MemorySchemaLog log = new MemorySchemaLog();
        SchemaDirectory directory = new SchemaDirectory(log);
        assertThatThrownBy(() -> RawChangeEvent.parse(PAYLOAD, "0000", directory)).isInstanceOf(MalformedEventException.class);
        String id = SchemaIds.of(SCHEMA_BYTES);
        log.entries.add(new SchemaLog.Entry(id, SCHEMA_BYTES));

        // When a message names the new schema / Then it is read, without a new directory
        assertThat(RawChangeEvent.parse(PAYLOAD, id, directory).op()).isEqualTo("c");
        assertThat(log.reads).isEqualTo(2);
    }

    @Test
    void anIdStillUnknownAfterReadingToTheEndIsAMalformedEventThatSaysWhere() {
        SchemaDirectory directory = new SchemaDirectory(new MemorySchemaLog());

        assertThatThrownBy(() -> RawChangeEvent.parse(PAYLOAD, "abc", directory))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("schema abc").hasMessageContaining("the test log");
    }

    @Test
    void anEntryWhoseKeyIsNotItsSchemasIdIsSkipped() {
        MemorySchemaLog log = new MemorySchemaLog();
        log.entries.add(new SchemaLog.Entry("forged", SCHEMA_BYTES));
        SchemaDirectory directory = new SchemaDirectory(log);

        assertThatThrownBy(() -> RawChangeEvent.parse(PAYLOAD, "forged", directory)).isInstanceOf(MalformedEventException.class);
        assertThat(directory.size()).isZero();
    }

    @Test
    void aMessageWithoutIdIsReadAsTheInlineEnvelope() {
        // Given the old format: schema and payload in the value, no header
        byte[] inline = ("{\"schema\":" + SCHEMA + ",\"payload\":" + new String(PAYLOAD, StandardCharsets.UTF_8) + "}")
                .getBytes(StandardCharsets.UTF_8);

        // When / Then: no directory is needed
        RawChangeEvent event = RawChangeEvent.parse(inline, null, SchemaDirectory.NONE);
        assertThat(event.after().get("id").asLong()).isEqualTo(7);
        assertThat(event.columns()).extracting(ColumnSpec::name).containsExactly("id", "price");
    }

    @Test
    void aLeanMessageWithTrailingDataOrWithoutADirectoryIsMalformed() {
        MemorySchemaLog log = new MemorySchemaLog();
        String id = SchemaIds.of(SCHEMA_BYTES);
        log.entries.add(new SchemaLog.Entry(id, SCHEMA_BYTES));
        byte[] trailing = (new String(PAYLOAD, StandardCharsets.UTF_8) + "{}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RawChangeEvent.parse(trailing, id, new SchemaDirectory(log)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("more follows the payload");
        assertThatThrownBy(() -> RawChangeEvent.parse(PAYLOAD, id, SchemaDirectory.NONE))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("no schema topic");
    }
}
