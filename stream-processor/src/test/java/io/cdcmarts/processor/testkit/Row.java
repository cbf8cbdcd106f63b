package io.cdcmarts.processor.testkit;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A source row for tests: column → Java value (Long, Integer, BigDecimal, String, Boolean or null). */
public final class Row {

    private final Map<String, Object> values;

    private Row(Map<String, Object> values) {
        this.values = values;
    }

    public static Row of(Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Row(values);
    }

    /** A copy with one column changed. */
    public Row with(String column, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(column, value);
        return new Row(copy);
    }

    public long id() {
        return ((Number) values.get("id")).longValue();
    }

    public Object get(String column) {
        return values.get(column);
    }

    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    public static BigDecimal $(String amount) {
        return new BigDecimal(amount);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
