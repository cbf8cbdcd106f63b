package io.cdcmarts.generator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of change the continuous workload makes, each one short transaction. Ordinary kinds
 * keep every row valid for the staging checks (SPEC §5); chaos kinds, drawn at
 * {@code --chaos-percent}, write rows that fail them, or messy text that cleaning repairs, and
 * {@link #FIX} later repairs a bad row at the source.
 *
 * <p>The weights are relative frequencies among the ordinary kinds (they add up to 100) and among
 * the chaos kinds. New orders and status moves dominate, as in a shop; every other kind is frequent
 * enough to show up within a few hundred events.
 */
public enum EventKind {
    /** An order of 1..max items on distinct variants, mostly pending, priced at the variants' selling price. */
    NEW_ORDER(26, false),
    /** pending → paid. */
    ORDER_PAID(12, false),
    /** paid → shipped. */
    ORDER_SHIPPED(9, false),
    /** pending or paid → cancelled. */
    ORDER_CANCELLED(4, false),
    /** A variant's selling or manufacturing price moves by up to 15%. */
    VARIANT_PRICE(5, false),
    /** An order item's unit price moves (a discount or a correction). */
    ITEM_PRICE(3, false),
    /** A variant is restocked or counted again. */
    STOCK(5, false),
    /** An order item's quantity changes. */
    ITEM_QUANTITY(4, false),
    /** An order item moves to another variant that its order does not have yet. */
    ITEM_MOVED(3, false),
    /** An order moves by 1–3 days, so to another day. */
    ORDER_REDATED(3, false),
    /** An order moves to another customer. */
    ORDER_RECUSTOMER(3, false),
    /** A product moves to another letter-sized category (its variants stay valid). */
    PRODUCT_RECATEGORIZED(2, false),
    /** A customer moves to another country or has a birthday. */
    CUSTOMER_UPDATED(3, false),
    /** A new customer, without orders. */
    NEW_CUSTOMER(4, false),
    /** A new product with 1–4 variants. */
    NEW_PRODUCT(2, false),
    /** A new variant of an existing product. */
    NEW_VARIANT(3, false),
    /** An item of an order that has others is removed. */
    DELETE_ITEM(3, false),
    /** A whole order is removed; its items go with it (ON DELETE CASCADE). */
    DELETE_ORDER(2, false),
    /** A variant that no order item references is removed. */
    DELETE_VARIANT(2, false),
    /** A customer without orders is removed. */
    DELETE_CUSTOMER(2, false),

    /** A variant size wrong for its product's category (the tutorial's chaos), or none at all. */
    BAD_SIZE(3, true),
    /** A customer with a blank name or country, or an age above 120. */
    BAD_CUSTOMER(3, true),
    /** A malformed email. */
    BAD_EMAIL(2, true),
    /** A product with a blank name or an unknown category, or moved across the shoes boundary. */
    BAD_PRODUCT(2, true),
    /** An order status outside pending/paid/cancelled/shipped, such as 'refunded'. */
    BAD_STATUS(2, true),
    /** An order item with a quantity or unit price of zero or below. */
    BAD_ITEM(2, true),
    /** A variant with a non-positive price or a negative stock. */
    BAD_VARIANT_NUMBERS(2, true),
    /** Text that cleaning repairs: padded, upper-cased or lower-cased where staging normalises it. */
    MESSY_TEXT(4, true),
    /** An earlier bad row gets its good value back. */
    FIX(0, true);

    private final int weight;
    private final boolean chaos;

    EventKind(int weight, boolean chaos) {
        this.weight = weight;
        this.chaos = chaos;
    }

    /** Relative frequency within its group (ordinary or chaos). */
    public int weight() {
        return weight;
    }

    /** Whether the kind is drawn only at {@code --chaos-percent}. */
    public boolean chaos() {
        return chaos;
    }

    /** snake_case, for logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The ordinary kinds, those that keep every row valid. */
    public static List<EventKind> ordinary() {
        return Arrays.stream(values()).filter(k -> !k.chaos).toList();
    }

    /** The chaos kinds that write bad or messy rows (not {@link #FIX}). */
    public static List<EventKind> chaotic() {
        return Arrays.stream(values()).filter(k -> k.chaos && k != FIX).toList();
    }
}
