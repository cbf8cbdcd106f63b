package io.cdcmarts.processor.testkit;

import java.math.BigDecimal;

import static io.cdcmarts.processor.testkit.Row.$;

/** Valid rows of the seed schema, to be bent by each test with {@link Row#with}. */
public final class Fixtures {

    public static final String T0 = "2024-03-01T08:00:00Z";

    private Fixtures() {
    }

    public static Row customer(long id) {
        return Row.of("id", id, "full_name", "Ada Lovelace", "email", "ada" + id + "@example.com", "country", "France",
                "age", 36, "created_at", T0, "updated_at", T0);
    }

    public static Row product(long id, String category) {
        return Row.of("id", id, "name", "Classic " + category, "category", category, "sku", "SKU-" + id,
                "created_at", T0, "updated_at", T0);
    }

    public static Row variant(long id, long productId, String size, String manufacturingPrice) {
        BigDecimal mp = $(manufacturingPrice);
        return Row.of("id", id, "product_id", productId, "variant_sku", "VAR-" + id, "color", "Red", "size", size,
                "manufacturing_price", mp, "selling_price", mp.multiply(BigDecimal.valueOf(2)), "stock_quantity", 10,
                "is_active", true, "created_at", T0, "updated_at", T0);
    }

    public static Row order(long id, long customerId, String status, String orderDate) {
        return Row.of("id", id, "customer_id", customerId, "order_date", orderDate, "status", status,
                "total_amount", $("0.00"), "created_at", T0, "updated_at", T0);
    }

    public static Row item(long id, long orderId, long variantId, int quantity, String unitPrice) {
        return Row.of("id", id, "order_id", orderId, "variant_id", variantId, "quantity", quantity,
                "unit_price", $(unitPrice), "total_price", $(unitPrice).multiply(BigDecimal.valueOf(quantity)),
                "created_at", T0);
    }
}
