package io.cdcmarts.processor.quality;

import java.util.Locale;

/** What cleaning does to a text column before the checks run (SPEC §5). */
public enum Cleaning {
    /** Not a text column: the value is only type-checked. */
    NONE,
    /** Surrounding white space removed. */
    TRIM,
    /** Trimmed, then lower-cased (email, category). */
    TRIM_LOWER,
    /** Trimmed, then upper-cased (sku, variant_sku, size). */
    TRIM_UPPER;

    public String apply(String value) {
        // strip(), not trim(): "white space" includes tabs, newlines and Unicode spaces.
        return switch (this) {
            case NONE -> value;
            case TRIM -> value.strip();
            case TRIM_LOWER -> value.strip().toLowerCase(Locale.ROOT);
            case TRIM_UPPER -> value.strip().toUpperCase(Locale.ROOT);
        };
    }
}
