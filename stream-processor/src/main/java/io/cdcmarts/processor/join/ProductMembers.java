package io.cdcmarts.processor.join;

import io.cdcmarts.processor.raw.RawRow;

import java.util.Map;

/**
 * A product's joiner state: its raw row (null while unknown) and the variants that name it, each
 * with its version and row.
 */
record ProductMembers(RawRow product, Map<Long, Member> variants) {

    record Member(long version, RawRow variant) {
    }

    boolean isEmpty() {
        return product == null && variants.isEmpty();
    }
}
