package io.cdcmarts.capture.publication;

import io.cdcmarts.capture.postgres.SourceColumn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed in one table's columns between two looks at the catalog that the WAL does not show
 * downstream: PostgreSQL changes existing rows without logging a change for any of them.
 * Columns are matched by {@code attnum}, which a RENAME and an ALTER COLUMN TYPE keep and a column
 * added later never reuses (a column dropped and added again under its name is a new one).
 *
 * @param filled  columns added with a value in every existing row ({@code ADD COLUMN … DEFAULT 42})
 * @param retyped columns whose type changed ({@code ALTER COLUMN … TYPE}: PostgreSQL rewrote the table
 *                and converted every value, e.g. rounded {@code 3.2501} to {@code 3.25}), as
 *                {@code "name old -> new"}
 * @param renamed columns renamed, as {@code "old -> new"}
 */
public record ColumnChanges(List<String> filled, List<String> retyped, List<String> renamed) {

    /** Whether the table must be sent again for its existing rows to be right downstream. */
    public boolean resend() {
        return !filled.isEmpty() || !retyped.isEmpty() || !renamed.isEmpty();
    }

    /** The changes from {@code before} to {@code now}, both in any order. */
    public static ColumnChanges between(List<SourceColumn> before, List<SourceColumn> now) {
        Map<Integer, SourceColumn> old = new HashMap<>();
        before.forEach(c -> old.put(c.attnum(), c));
        List<String> filled = new ArrayList<>();
        List<String> retyped = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        for (SourceColumn c : now) {
            SourceColumn b = old.get(c.attnum());
            if (b == null) {
                if (c.filled()) {
                    filled.add(c.name());
                }
                continue;
            }
            if (!b.type().equals(c.type()) && !(isText(b.type()) && isText(c.type()))) {
                retyped.add(c.name() + " " + b.type() + " -> " + c.type());
            }
            if (!b.name().equals(c.name())) {
                renamed.add(b.name() + " -> " + c.name());
            }
        }
        return new ColumnChanges(List.copyOf(filled), List.copyOf(retyped), List.copyOf(renamed));
    }

    /**
     * {@code text} and {@code varchar(n)} change into one another without a rewrite (PostgreSQL
     * only checks the length) and are all VARCHAR downstream: nothing to send again.
     */
    private static boolean isText(String type) {
        return type.equals("text") || type.equals("character varying") || type.startsWith("character varying(");
    }
}
