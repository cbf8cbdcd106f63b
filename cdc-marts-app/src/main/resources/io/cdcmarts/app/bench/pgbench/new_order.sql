-- A new pending order of an existing customer with two items at their variants' selling price
-- (at least 1.00), its total the sum of them: 3 row changes, in one statement, so no second
-- statement can attach the items to another order. FOR KEY SHARE: a customer or variant deleted
-- meanwhile (by another workload) drops out of the SELECT instead of failing a foreign key, and
-- the order is then not made.
SELECT coalesce(max(id), 1) AS maxc FROM customers \gset
SELECT coalesce(max(id), 1) AS maxv FROM product_variants \gset
\set c random(1, :maxc)
\set v1 random(1, :maxv)
\set v2 random(1, :maxv)
\set q1 random(1, 4)
\set q2 random(1, 4)
WITH c AS (SELECT id FROM customers
           WHERE id = coalesce((SELECT id FROM customers WHERE id >= :c ORDER BY id LIMIT 1), (SELECT min(id) FROM customers))
           FOR KEY SHARE),
     v1 AS (SELECT id, greatest(selling_price, 1.00) AS price, :q1::int AS quantity FROM product_variants
            WHERE id = coalesce((SELECT id FROM product_variants WHERE id >= :v1 ORDER BY id LIMIT 1), (SELECT min(id) FROM product_variants))
            FOR KEY SHARE),
     v2 AS (SELECT id, greatest(selling_price, 1.00) AS price, :q2::int AS quantity FROM product_variants
            WHERE id = coalesce((SELECT id FROM product_variants WHERE id >= :v2 ORDER BY id LIMIT 1), (SELECT min(id) FROM product_variants))
            FOR KEY SHARE),
     v AS (SELECT * FROM v1 UNION ALL SELECT * FROM v2),
     o AS (INSERT INTO orders (customer_id, order_date, status, total_amount)
           SELECT c.id, now(), 'pending', (SELECT sum(quantity * price) FROM v) FROM c WHERE EXISTS (SELECT 1 FROM v)
           RETURNING id)
INSERT INTO order_items (order_id, variant_id, quantity, unit_price)
  SELECT o.id, v.id, v.quantity, v.price FROM o, v;
