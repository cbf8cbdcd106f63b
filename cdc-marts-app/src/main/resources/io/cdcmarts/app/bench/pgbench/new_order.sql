-- A new pending order of an existing customer with two items at their variants' selling price,
-- its total set from them: 4 row changes. FOR KEY SHARE: a customer or variant deleted meanwhile
-- (by another workload) makes the row vanish from the SELECT instead of failing the foreign key.
SELECT last_value AS maxc FROM customers_id_seq \gset
SELECT last_value AS maxv FROM product_variants_id_seq \gset
\set c random(1, :maxc)
\set v1 random(1, :maxv)
\set v2 random(1, :maxv)
\set q1 random(1, 4)
\set q2 random(1, 4)
BEGIN;
INSERT INTO orders (customer_id, order_date, status, total_amount)
  SELECT id, now(), 'pending', 0 FROM customers
  WHERE id = coalesce((SELECT id FROM customers WHERE id >= :c ORDER BY id LIMIT 1), (SELECT min(id) FROM customers))
  FOR KEY SHARE;
INSERT INTO order_items (order_id, variant_id, quantity, unit_price)
  SELECT currval('orders_id_seq'), id, :q1::int, selling_price FROM product_variants
  WHERE id = coalesce((SELECT id FROM product_variants WHERE id >= :v1 ORDER BY id LIMIT 1), (SELECT min(id) FROM product_variants))
  FOR KEY SHARE;
INSERT INTO order_items (order_id, variant_id, quantity, unit_price)
  SELECT currval('orders_id_seq'), id, :q2::int, selling_price FROM product_variants
  WHERE id = coalesce((SELECT id FROM product_variants WHERE id >= :v2 ORDER BY id LIMIT 1), (SELECT min(id) FROM product_variants))
  FOR KEY SHARE;
-- (SELECT currval(…)): a bare currval is volatile and would make this a scan of every order
UPDATE orders SET total_amount = (SELECT coalesce(sum(total_price), 0) FROM order_items WHERE order_id = orders.id)
  WHERE id = (SELECT currval('orders_id_seq'));
END;
