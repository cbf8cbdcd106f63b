package io.cdcmarts.processor.marts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.processor.quality.Staging;
import io.cdcmarts.processor.raw.Rows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What the marts need of a revenue order: its UTC day and its customer (null: none).
 *
 * @param day        {@code order_date} in UTC
 * @param customerId the customer, or null
 */
public record OrderInfo(LocalDate day, Long customerId) {

    /** The order as a staging order that is a revenue order. */
    static OrderInfo of(ObjectNode cleanedOrder) {
        Instant date = Staging.instant(cleanedOrder.get("order_date"));
        return new OrderInfo(date.atOffset(ZoneOffset.UTC).toLocalDate(), Rows.longOrNull(cleanedOrder, "customer_id"));
    }
}
