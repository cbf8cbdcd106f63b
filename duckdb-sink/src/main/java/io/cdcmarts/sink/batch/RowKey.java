package io.cdcmarts.sink.batch;

import java.util.Arrays;

/** A row's primary key values, in key order, compared by value (byte[] parts included). */
public final class RowKey {

    private final Object[] parts;
    private final int hash;

    public RowKey(Object... parts) {
        this.parts = parts.clone();
        this.hash = Arrays.deepHashCode(this.parts);
    }

    public Object part(int i) {
        return parts[i];
    }

    public int size() {
        return parts.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowKey k && k.hash == hash && Arrays.deepEquals(k.parts, parts);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.deepToString(parts);
    }
}
