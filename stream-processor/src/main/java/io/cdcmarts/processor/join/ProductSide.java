package io.cdcmarts.processor.join;

import io.cdcmarts.processor.raw.RawRow;

/**
 * What a product's joiner hears, keyed by the product id: the product's own row, or one of its
 * variants arriving (with the variant's version and row) or leaving.
 */
sealed interface ProductSide {

    /** The product's current raw row; null when it was deleted. */
    record Product(RawRow row) implements ProductSide {
    }

    /** The variant now names this product, as of {@code version}. */
    record Arrive(long variantId, long version, RawRow variant) implements ProductSide {
    }

    /**
     * The variant no longer names this product. When it names no product at all any more (deleted,
     * or its product_id cleared), the joiner also clears its result, as of {@code version}; when it
     * moved, the new product's joiner answers for it.
     */
    record Leave(long variantId, long version, boolean clear) implements ProductSide {
    }
}
