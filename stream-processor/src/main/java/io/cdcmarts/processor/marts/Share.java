package io.cdcmarts.processor.marts;

import io.cdcmarts.common.event.TypedRow;
import io.cdcmarts.processor.marts.RevenueState.ItemLine;

import java.time.LocalDate;

/**
 * What a {@link Ledger} sends downstream: a signed difference addressed to the key that sums it,
 * the latest value of a row it forwards, or the mart row it owns.
 */
public sealed interface Share {

    /** An item's current line (null: the item left the order), addressed to its order. */
    record ToOrder(long orderId, long itemId, ItemLine line) implements Share {
    }

    record ToVariant(long variantId, LineSums delta) implements Share {
    }

    record ToDay(LocalDate day, DaySums delta) implements Share {
    }

    record ToCustomer(long customerId, Count delta) implements Share {
    }

    record ToProduct(long productId, SalesSums delta) implements Share {
    }

    record ToCategory(String category, SalesSums delta) implements Share {
    }

    record ToKpis(KpiSums delta) implements Share {
    }

    /** The ledger's own mart row under its own key; null deletes it. */
    record MartRow(TypedRow row) implements Share {
    }
}
