package io.cdcmarts.sink.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.ColumnSpec;
import io.cdcmarts.common.event.JsonSlice;
import io.cdcmarts.common.event.MalformedEventException;
import io.cdcmarts.common.event.RawChangeEvent;
import io.cdcmarts.sink.duckdb.Layout;
import io.cdcmarts.sink.duckdb.TableRef;
import io.cdcmarts.sink.duckdb.TableSchema;
import io.cdcmarts.sink.duckdb.ValueConverter;
import io.cdcmarts.sink.testing.ChangeEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class DecodePlanTest {

    private static final TableRef ORDERS = new TableRef("raw", "orders");
    /** The placeholder inside JSON quotes: its leading NUL escaped. */
    private static final String UNAVAILABLE = RawChangeEvent.UNAVAILABLE_VALUE.replace("\u0000", "\\u0000");

    private final InMemoryTables tables = new InMemoryTables();
    private final DecodePlans plans = new DecodePlans(tables);
    private final List<ColumnSpec> columns = ChangeEvents.table("orders").int64("id").string("status").decimal("total", 10, 2)
            .timestamptz("at").column("tags", "array", null, null, true).int16("n").columns();
    private final ObjectNode key = (ObjectNode) json("{\"id\":1}");

    @Test
    void anImageBecomesTheRowATreeOfItWouldGive() {
        DecodePlan plan = plans.plan(ORDERS, columns, key, Layout.RAW_METADATA);
        List<String> images = List.of(
                "{\"id\":1,\"status\":\"paid\",\"total\":19.9,\"at\":\"2024-03-10T10:00:00Z\",\"tags\":[\"a\"],\"n\":3}",
                "{\"n\":3,\"tags\":null,\"at\":\"2024-03-10T10:00:00.5+01:00\",\"total\":7,\"status\":\"x\",\"id\":2}",
                "{\"id\":3,\"unknown\":{\"deep\":[1,2]},\"status\":\"a\"}",
                "{}",
                // TOAST placeholders, and a field given twice (the last counts)
                "{\"id\":4,\"status\":\"" + UNAVAILABLE + "\",\"tags\":[\"" + UNAVAILABLE + "\"]}",
                "{\"id\":5,\"status\":\"" + UNAVAILABLE + "\",\"status\":\"back\"}",
                "{\"id\":6,\"status\":\"gone\",\"status\":\"" + UNAVAILABLE + "\"}",
                "{\"id\":7,\"n\":99999,\"n\":1}",
                "{\"id\":8,\"n\":1,\"n\":99999}",
                // values that do not fit: the first column in the schema's order fails, whatever the fields' order
                "{\"n\":99999,\"total\":1.005,\"id\":9}",
                "{\"n\":\"x\",\"status\":{\"a\":1},\"id\":\"ten\"}",
                "{\"at\":\"yesterday\",\"n\":1.5}");
        for (String image : images) {
            assertThat(outcome(() -> read(plan, image))).as(image).isEqualTo(outcome(() -> asTree(plan.schema(), image)));
        }
    }

    @Test
    void aTableVersionIsPlannedOnceAndAnAddedColumnWidensTheTable() {
        // Given a plan for the first message of a table version
        DecodePlan first = plans.plan(ORDERS, columns, key, Layout.RAW_METADATA);

        // When the next messages of the version come, then of a version with one more column
        DecodePlan again = plans.plan(ORDERS, columns, key, Layout.RAW_METADATA);
        List<ColumnSpec> widened = new ArrayList<>(columns);
        widened.add(new ColumnSpec("note", "string", null, null, true));
        DecodePlan wider = plans.plan(ORDERS, List.copyOf(widened), key, Layout.RAW_METADATA);
        DecodePlan older = plans.plan(ORDERS, columns, key, Layout.RAW_METADATA);

        // Then the version is planned once, the new one widens the table, and the old one is planned
        // again for the wider table without more DDL
        assertThat(again).isSameAs(first);
        assertThat(tables.ddl).containsExactly("create raw.orders", "add [note] to raw.orders");
        assertThat(wider.schema().indexOf("note")).isEqualTo(columns.size() + Layout.RAW_METADATA.size());
        assertThat(older).isNotSameAs(first);
        assertThat(older.schema()).isSameAs(wider.schema());
        assertThat(plans.find(ORDERS, columns, key)).isSameAs(older);
        assertThat(plans.find(ORDERS, widened, key)).as("another list, even with equal columns").isNull();
    }

    @Test
    void aKeyWithOtherFieldsIsCheckedAgain() {
        plans.plan(ORDERS, columns, key, Layout.RAW_METADATA);

        assertThatThrownBy(() -> plans.plan(ORDERS, columns, (ObjectNode) json("{\"status\":\"paid\"}"), Layout.RAW_METADATA))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("do not match the primary key");
        assertThatThrownBy(() -> plans.plan(ORDERS, columns, (ObjectNode) json("{\"nope\":1}"), Layout.RAW_METADATA))
                .hasMessage("key field 'nope' is not a column of raw.orders");
        assertThat(plans.find(ORDERS, columns, (ObjectNode) json("{\"id\":\"other value, same field\"}"))).isNotNull();
    }

    private static Object read(DecodePlan plan, String image) {
        byte[] bytes = image.getBytes(StandardCharsets.UTF_8);
        DecodePlan.Image read = plan.read(new JsonSlice(bytes, 0, bytes.length));
        return List.of(Arrays.asList(read.rowOrThrow()), String.valueOf(read.unavailable()));
    }

    /** How an image became a row before it was streamed: the event's columns in order, each from a tree of the image. */
    private Object asTree(TableSchema schema, String image) {
        JsonNode tree = json(image);
        Object[] row = new Object[schema.size()];
        BitSet unavailable = null;
        for (ColumnSpec c : columns) {
            int i = schema.indexOf(c.name());
            JsonNode v = tree.get(c.name());
            if (ValueConverter.isUnavailable(v)) {
                // Marked, and read as a value too where it can be (an insert's placeholder is real).
                (unavailable == null ? unavailable = new BitSet() : unavailable).set(i);
                try {
                    row[i] = ValueConverter.convert(c.name(), v, c, schema.column(i).type());
                } catch (RuntimeException e) {
                    row[i] = null;
                }
                continue;
            }
            row[i] = ValueConverter.convert(c.name(), v, c, schema.column(i).type());
        }
        return List.of(Arrays.asList(row), String.valueOf(unavailable));
    }

    private static Object outcome(java.util.function.Supplier<Object> read) {
        Throwable t = catchThrowable(read::get);
        return t == null ? read.get() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
