package io.cdcmarts.processor.join;

import io.cdcmarts.processor.marts.RevenueState.VariantWithProduct;

/**
 * A variant's join result as of one version of the variant (the raw topic offset of its change):
 * the variant with its product, or null when there is none (no product, or the product unknown).
 * Of two results, the one of the newer variant version counts; for one version, only the joiner of
 * the product that version names sends results, in order, so the later one counts.
 */
record VariantResult(long version, VariantWithProduct result) {
}
