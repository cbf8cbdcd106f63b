package io.cdcmarts.capture.position;

import java.util.Locale;

/**
 * {@code --on-missing-slot} / CDC_ON_MISSING_SLOT: what capture does at start when its stored
 * position is lost ({@link SlotCheck}): the slot is gone, or no longer keeps the WAL at that position.
 */
public enum OnMissingSlot {
    /** Exit with one line that says what happened and how to start over (the default: never re-snapshot unasked). */
    FAIL,
    /** Take a new snapshot of every table into the same topics (Debezium's snapshot mode when_needed, for this start). */
    RESNAPSHOT;

    /** From the option's text, naming the option when it is not one of the values. */
    public static OnMissingSlot parse(String value) {
        if (value == null || value.isBlank()) {
            return FAIL;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--on-missing-slot '" + value.strip() + "' is not one of fail, resnapshot", e);
        }
    }
}
