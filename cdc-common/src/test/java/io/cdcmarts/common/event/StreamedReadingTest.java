package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmarts.common.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link RawChangeEvent#parse} and {@link TypedRow#parse} stream the message and take its schema
 * from the {@link SchemaCache}; a tree of the whole message ({@link TreeParse}, how they read it
 * before) is the oracle: the same event or row for every message, the same error for every other.
 */
class StreamedReadingTest {

    private static final Envelope.PayloadReader<JsonSlice> SKIP = (p, message, base, schema) -> JsonSlice.skip(p, message, base);
    /** Reads every after image in place, as a tree. */
    private static final ChangeEventEnvelope.ImageReader<JsonNode> TREE = (columns, p) -> Json.MAPPER.readTree(p);

    private static final String COLUMNS = "[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"name\"},"
            + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},\"field\":\"price\"}]";
    private static final String SCHEMA = envelopeSchema(COLUMNS, COLUMNS);
    private static final String INSERT = "{\"before\":null,\"after\":{\"id\":1,\"name\":\"a\\\"b\",\"price\":12.50},"
            + "\"source\":{\"version\":\"3.6.1.Final\",\"ts_ms\":1700,\"txId\":5,\"lsn\":77,\"sequence\":\"[\\\"1\\\",\\\"2\\\"]\"},"
            + "\"op\":\"c\",\"ts_ms\":1705}";

    private static String envelopeSchema(String before, String after) {
        return "{\"type\":\"struct\",\"fields\":["
                + "{\"type\":\"struct\",\"optional\":true,\"field\":\"before\",\"fields\":" + before + "},"
                + "{\"type\":\"struct\",\"optional\":true,\"field\":\"after\",\"fields\":" + after + "},"
                + "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"}],\"optional\":false,\"name\":\"shop.public.t.Envelope\"}";
    }

    private static String usual(String schema, String payload) {
        return "{\"schema\":" + schema + ",\"payload\":" + payload + "}";
    }

    @Test
    void changeEventsReadAsATreeOfTheWholeMessageWould() {
        List<String> payloads = List.of(INSERT,
                INSERT.replace("\"before\":null", "\"before\":{\"id\":1,\"name\":\"x\",\"price\":1}").replace("\"c\"", "\"u\""),
                "{\"before\":{\"id\":1},\"after\":null,\"source\":{\"ts_ms\":1},\"op\":\"d\"}",
                "{\"before\":null,\"after\":null,\"op\":\"t\",\"ts_ms\":3}",
                "{\"after\":{\"id\":2},\"op\":\"r\",\"unknown\":[1,{\"a\":[]}],\"source\":\"not an object\"}",
                // odd values where a tree has its own reading of them
                INSERT.replace("\"op\":\"c\"", "\"op\":1"),
                INSERT.replace("\"op\":\"c\"", "\"op\":1.50"),
                INSERT.replace("\"op\":\"c\"", "\"op\":{\"x\":1}"),
                INSERT.replace("\"op\":\"c\"", "\"op\":true"),
                INSERT.replace("\"op\":\"c\"", "\"op\":null"),
                INSERT.replace("\"op\":\"c\"", "\"op\":\"x\""),
                INSERT.replace("\"op\":\"c\",", ""),
                INSERT.replace("\"op\":\"c\"", "\"op\":\"x\",\"op\":\"c\""),
                INSERT.replace("\"op\":\"c\"", "\"op\":\"c\",\"op\":\"x\""),
                INSERT.replace("\"before\":null", "\"before\":\"text\""),
                INSERT.replace("\"after\":{\"id\":1,\"name\":\"a\\\"b\",\"price\":12.50}", "\"after\":[1]"),
                INSERT.replace("\"after\":{\"id\":1,\"name\":\"a\\\"b\",\"price\":12.50},", ""),
                "{\"before\":null,\"after\":{\"id\":1},\"op\":\"d\"}",
                INSERT.replace("\"lsn\":77", "\"lsn\":77.9").replace("\"txId\":5", "\"txId\":123456789012345678901234")
                        .replace("\"ts_ms\":1700", "\"ts_ms\":\"1700\""),
                INSERT.replace("\"ts_ms\":1705", "\"ts_ms\":1.705e3"),
                INSERT.replace("\"ts_ms\":1705", "\"ts_ms\":null"),
                INSERT.replace("\"lsn\":77", "\"lsn\":77,\"lsn\":{\"x\":1}"),
                INSERT.replace("\"op\":\"c\"", "\"source\":{\"lsn\":9},\"op\":\"c\""),
                "{}");
        List<String> messages = new ArrayList<>();
        for (String payload : payloads) {
            messages.add(usual(SCHEMA, payload));
            messages.add("{\"payload\":" + payload + ",\"schema\":" + SCHEMA + "}");
            messages.add("{ \"schema\" : " + SCHEMA + " ,\n \"payload\" : " + payload + " }");
            messages.add(usual(SCHEMA, payload).replaceFirst("}$", ",\"extra\":[1,{\"a\":2}]}"));
            messages.add(usual(SCHEMA, payload) + " \n");
            messages.add(usual(SCHEMA, payload) + "garbage after the object");
        }
        for (String message : messages) {
            assertSameAsTree(message, RawChangeEvent::parse, TreeParse::changeEvent);
            assertSameAsTree(message, StreamedReadingTest::readingAfterInPlace, TreeParse::changeEvent);
        }
    }

    @Test
    void malformedChangeEventsFailWithTheTreesMessages() {
        String insert = usual(SCHEMA, INSERT);
        List<String> messages = new ArrayList<>(List.of("this is not json", "", "   ", "null", "[1,2]", "[1, x", "\"text\"",
                "{", "{\"foo\": 1}", "{{{", "{\"schema\":" + SCHEMA,
                usual("\"not an object\"", INSERT), usual(SCHEMA, "[]"), "{\"payload\":" + INSERT + "}",
                usual(SCHEMA, INSERT.replace("\"op\":\"c\"", "\"op\":c")),
                usual(SCHEMA, INSERT.replace("12.50", "12.5.0")),
                usual(SCHEMA, INSERT.replace("\"a\\\"b\"", "\"a\\qb\"")),
                usual(SCHEMA, INSERT) .replaceFirst("}$", ",}"),
                usual(SCHEMA, INSERT).replaceFirst("}$", " x}"),
                usual(SCHEMA, INSERT).replaceFirst("}$", ""),
                "{\"schema\":" + SCHEMA + ",\"payload\":{\"op\":\"zzz\"},\"payload\":" + INSERT + "}",
                "{\"schema\":" + SCHEMA + ",\"payload\":" + INSERT + ",\"payload\":1}",
                "{\"schema\":" + SCHEMA + ",\"payload\":" + INSERT + ",\"schema\":[]}",
                usual("{\"type\":\"struct\"}", INSERT),
                usual("{\"fields\":[{\"field\":\"before\",\"fields\":" + COLUMNS + "}]}", INSERT),
                usual(envelopeSchema(COLUMNS, "[{\"field\":\"id\"}]"), INSERT),
                usual(envelopeSchema(COLUMNS, "{}"), INSERT),
                usual(envelopeSchema("[{\"field\":\"id\"}]", COLUMNS), INSERT)));
        // and every way of cutting the usual message short
        for (int cut = 1; cut < insert.length(); cut += 7) {
            messages.add(insert.substring(0, cut));
        }
        for (String message : messages) {
            assertSameAsTree(message, RawChangeEvent::parse, TreeParse::changeEvent);
            assertSameAsTree(message, StreamedReadingTest::readingAfterInPlace, TreeParse::changeEvent);
        }
        assertThatThrownBy(() -> RawChangeEvent.parse(null)).hasMessage("a tombstone is not a change event");
    }

    @Test
    void typedRowsReadAsATreeOfTheWholeMessageWould() {
        String schema = "{\"type\":\"struct\",\"fields\":" + COLUMNS + "}";
        String values = "{\"id\":7,\"name\":null,\"price\":1.5E+1,\"more\":{\"x\":[1]}}";
        List<String> messages = new ArrayList<>(List.of(usual(schema, values), "{\"payload\":" + values + ",\"schema\":" + schema + "}",
                usual(schema, values) + "\n", usual(schema, values).replaceFirst("}$", ",\"extra\":1}"),
                usual(schema, "{}"), usual("{\"type\":\"struct\"}", values), usual(schema, "[]"), usual("[]", values),
                usual("{\"fields\":[{\"type\":\"int64\"}]}", values), "{\"payload\":" + values + "}", "[]", "not json",
                usual(schema, values).replaceFirst("}$", ",}")));
        String usual = usual(schema, values);
        for (int cut = 1; cut < usual.length(); cut += 5) {
            messages.add(usual.substring(0, cut));
        }
        for (String message : messages) {
            assertSameAsTree(message, TypedRow::parse, TreeParse::typedRow);
        }
    }

    @Test
    void theSameSchemaBytesGiveTheSameColumnsAndAnAddedColumnGivesNewOnes() {
        // Given two events of one table version and one after ALTER TABLE … ADD COLUMN
        String widenedColumns = COLUMNS.replaceFirst("]$", ",{\"type\":\"string\",\"optional\":true,\"field\":\"note\"}]");
        String widened = envelopeSchema(widenedColumns, widenedColumns);

        // When they are read
        RawChangeEvent first = RawChangeEvent.parse(bytes(usual(SCHEMA, INSERT)));
        RawChangeEvent second = RawChangeEvent.parse(bytes(usual(SCHEMA, INSERT.replace("\"id\":1", "\"id\":2"))));
        RawChangeEvent third = RawChangeEvent.parse(bytes(usual(widened, INSERT.replace("12.50}", "12.50,\"note\":\"n\"}"))));

        // Then the version's columns are read once, and the new version has its own
        assertThat(second.columns()).isSameAs(first.columns());
        assertThat(second.after().get("id").asLong()).isEqualTo(2);
        assertThat(third.columns()).extracting(ColumnSpec::name).containsExactly("id", "name", "price", "note");
        assertThat(third.after().get("note").asText()).isEqualTo("n");
    }

    @Test
    void theCacheRecognisesASchemaByItsBytesAndDropsTheOldestWhenFull() throws Exception {
        SchemaCache cache = new SchemaCache(2);
        byte[] a = bytes(usual(SCHEMA, INSERT));
        byte[] b = bytes(usual(envelopeSchema(COLUMNS, "[]"), INSERT));
        byte[] c = bytes(usual(envelopeSchema("[]", COLUMNS), INSERT));

        Envelope<JsonSlice> readA = Envelope.read(a, SKIP, cache);
        assertThat(Envelope.read(a, SKIP, cache).schema()).isSameAs(readA.schema());
        assertThat(new String(a, readA.payload().start(), readA.payload().end() - readA.payload().start(), StandardCharsets.UTF_8))
                .isEqualTo(INSERT);
        Envelope.read(b, SKIP, cache);
        Envelope.read(c, SKIP, cache);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.find(a, "{\"schema\":".length())).isNull();
        assertThat(cache.find(c, "{\"schema\":".length())).isNotNull();
        // a message shorter than a known schema is not mistaken for it
        assertThat(cache.find(bytes("{\"schema\":{}"), "{\"schema\":".length())).isNull();
    }

    @Test
    void threadsSharingACacheThatKeepsEvictingStillReadEveryMessageRight() throws Exception {
        // Given three table versions and a cache with room for two, shared by four threads
        SchemaCache cache = new SchemaCache(2);
        List<byte[]> messages = List.of(bytes(usual(SCHEMA, INSERT)), bytes(usual(envelopeSchema(COLUMNS, "[]"), INSERT)),
                bytes(usual(envelopeSchema("[]", COLUMNS), INSERT)));
        List<Object> expected = messages.stream().map(m -> outcome(() -> TreeParse.changeEvent(m))).toList();

        // When each thread reads them over and over
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Object>>> read = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                read.add(threads.submit(() -> {
                    List<Object> wrong = new ArrayList<>();
                    for (int i = 0; i < 3_000; i++) {
                        byte[] m = messages.get(i % 3);
                        Object actual = outcome(() -> ChangeEventEnvelope.read(m, TREE, cache).toEvent());
                        if (!actual.equals(expected.get(i % 3))) {
                            wrong.add(actual);
                        }
                    }
                    return wrong;
                }));
            }

            // Then every read is the tree's
            for (Future<List<Object>> f : read) {
                assertThat(f.get()).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(cache.size()).isEqualTo(2);
    }

    /** The event with its after image read where it stands, which must be the image's tree. */
    private static RawChangeEvent readingAfterInPlace(byte[] message) {
        ChangeEventEnvelope<JsonNode> e = ChangeEventEnvelope.read(message, TREE);
        RawChangeEvent event = e.toEvent();
        assertThat(e.afterRead()).isEqualTo(event.after());
        return event;
    }

    private static <T> void assertSameAsTree(String message, Function<byte[], T> streamed, Function<byte[], T> tree) {
        byte[] bytes = bytes(message);
        Object expected = outcome(() -> tree.apply(bytes));
        // twice: once with the schema new, once known
        for (int i = 0; i < 2; i++) {
            Object actual = outcome(() -> streamed.apply(bytes));
            assertThat(actual).as("reading %s", message).isEqualTo(expected);
        }
    }

    /** The result, or the exception's class and message. */
    private static Object outcome(java.util.function.Supplier<?> read) {
        Throwable t = catchThrowable(read::get);
        return t == null ? read.get() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
