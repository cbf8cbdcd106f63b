package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.ColumnSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One staging column: its source type, its cleaning and, for a computed column, the two columns
 * whose product it is (order_items.total_price = quantity * unit_price).
 *
 * @param name      the column name, as in the source
 * @param type      the source type
 * @param precision decimal precision, 0 for other types
 * @param scale     decimal scale, 0 for other types
 * @param cleaning  what cleaning does to the value
 * @param productOf for a computed column, the two factors; empty otherwise
 */
public record ColumnDef(String name, ColumnType type, int precision, int scale, Cleaning cleaning,
                        List<String> productOf) {

    public ColumnDef {
        productOf = List.copyOf(productOf);
        if (!productOf.isEmpty() && productOf.size() != 2) {
            throw new IllegalArgumentException("a computed column is the product of exactly two columns: " + name);
        }
    }

    public boolean computed() {
        return !productOf.isEmpty();
    }

    /** The column as a Connect schema field; every staging column but the key is optional. */
    public ColumnSpec spec() {
        Map<String, String> params = new LinkedHashMap<>();
        if (type == ColumnType.DECIMAL) {
            params.put("scale", Integer.toString(scale));
            params.put("connect.decimal.precision", Integer.toString(precision));
        }
        return new ColumnSpec(name, type.connectType(), type.logical(), params, !"id".equals(name));
    }
}
