package io.cdcmarts.processor.quality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.event.DeadLetter;
import io.cdcmarts.processor.raw.RawRow;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A source row after cleaning and checks.
 *
 * @param raw      the raw row it was made from
 * @param cleaned  the cleaned, typed staging columns (a column that had the wrong type is NULL)
 * @param failures every failed check, in rule order; empty when the row passes
 * @param asOfMs   the source commit time of the newest input of this evaluation (the row, or the
 *                 product whose category a variant's size rule read)
 */
public record Validated(RawRow raw, ObjectNode cleaned, List<DeadLetter.Failure> failures, long asOfMs) {

    public Validated {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** The distinct names of the failed checks, comma-separated, in rule order. */
    public String checkNames() {
        Set<String> names = new LinkedHashSet<>();
        failures.forEach(f -> names.add(f.check()));
        return String.join(",", names);
    }
}
