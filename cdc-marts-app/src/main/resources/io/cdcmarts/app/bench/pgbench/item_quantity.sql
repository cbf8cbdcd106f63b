-- One of the newest order items (--define items_window=N, bench: 40,000) gets a new quantity, its order's total follows: 2 row changes.
-- Item first, then order, as in every script here, so two of them never wait on each other in a circle.
\set back random(0, :items_window)
\set q random(1, 6)
SELECT last_value - :back AS i FROM order_items_id_seq \gset
BEGIN;
UPDATE order_items i SET quantity = :q::int FROM orders o
  WHERE i.id = :i AND o.id = i.order_id AND o.order_date >= '1900-01-01';
UPDATE orders o SET total_amount = (SELECT sum(total_price) FROM order_items WHERE order_id = o.id), updated_at = now()
  WHERE o.id = (SELECT order_id FROM order_items WHERE id = :i) AND o.order_date >= '1900-01-01';
END;
