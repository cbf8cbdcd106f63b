package io.cdcmarts.sink.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Change events of an order_items-like table for the benchmark, as the capture service writes them:
 * the Debezium envelope with its schema, decimals as JSON numbers, timestamps as ISO strings.
 */
final class ChangeEventJson {

    private static final String COLUMNS = "["
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"},"
            + "{\"type\":\"int64\",\"optional\":true,\"field\":\"order_id\"},"
            + "{\"type\":\"int64\",\"optional\":true,\"field\":\"variant_id\"},"
            + "{\"type\":\"int32\",\"optional\":true,\"field\":\"quantity\"},"
            + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},\"field\":\"unit_price\"},"
            + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"12\"},\"field\":\"total_price\"},"
            + "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTimestamp\",\"field\":\"created_at\"}]";

    private static final String SCHEMA = "{\"type\":\"struct\",\"name\":\"shop.public.order_items.Envelope\",\"optional\":false,\"fields\":["
            + "{\"type\":\"struct\",\"optional\":true,\"name\":\"shop.public.order_items.Value\",\"field\":\"before\",\"fields\":" + COLUMNS + "},"
            + "{\"type\":\"struct\",\"optional\":true,\"name\":\"shop.public.order_items.Value\",\"field\":\"after\",\"fields\":" + COLUMNS + "},"
            + "{\"type\":\"struct\",\"optional\":false,\"name\":\"io.debezium.connector.postgresql.Source\",\"field\":\"source\",\"fields\":["
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"txId\"},"
            + "{\"type\":\"int64\",\"optional\":true,\"field\":\"lsn\"}]},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"}]}";

    private static final Instant T0 = Instant.parse("2024-03-10T12:00:00Z");

    private ChangeEventJson() {
    }

    /** Version 0 is the insert of the row, version 1 an update of it. */
    static byte[] orderItem(long id, int version) {
        int quantity = (int) (1 + (id + version) % 9);
        BigDecimal price = BigDecimal.valueOf(1_000 + id % 10_000 + version, 2);
        String after = "{\"id\":" + id + ",\"order_id\":" + id / 4 + ",\"variant_id\":" + id % 5_000 + ",\"quantity\":" + quantity
                + ",\"unit_price\":" + price.toPlainString() + ",\"total_price\":" + price.multiply(BigDecimal.valueOf(quantity)).toPlainString()
                + ",\"created_at\":\"" + T0.plusMillis(id) + "\"}";
        long lsn = 1_000_000L + id * 2 + version;
        long ts = T0.toEpochMilli() + id;
        String json = "{\"schema\":" + SCHEMA + ",\"payload\":{\"before\":null,\"after\":" + after
                + ",\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"name\":\"shop\",\"ts_ms\":" + ts
                + ",\"db\":\"shop\",\"schema\":\"public\",\"table\":\"order_items\",\"txId\":" + lsn / 2 + ",\"lsn\":" + lsn
                + "},\"op\":\"" + (version == 0 ? "c" : "u") + "\",\"ts_ms\":" + (ts + 3) + "}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
