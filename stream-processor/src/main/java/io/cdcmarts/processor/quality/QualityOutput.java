package io.cdcmarts.processor.quality;

import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.common.event.TypedRow;

/** What the quality tracker emits for a row: a dead letter, or a change of its open failure. */
public sealed interface QualityOutput {

    record DeadLettered(DeadLetter deadLetter) implements QualityOutput {
    }

    /** The row's open failure now, or null when it no longer fails (fixed, deleted, waiting). */
    record OpenFailure(TypedRow row) implements QualityOutput {
    }
}
