-- One of the newest order items (--define items_window=N; bench: twice orders_window) is repriced by -20 % to
-- +20 % (at least 0.01), its order's total follows: 2 row changes. Repeatable read, as in item_quantity.sql.
\set back random(0, :items_window)
\set pct random(80, 120)
SELECT coalesce(max(id), 0) - :back AS i FROM order_items \gset
BEGIN ISOLATION LEVEL REPEATABLE READ;
UPDATE order_items i SET unit_price = greatest(round(i.unit_price * :pct / 100, 2), 0.01) FROM orders o
  WHERE i.id = :i AND o.id = i.order_id AND o.order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
UPDATE orders o SET total_amount = (SELECT sum(total_price) FROM order_items WHERE order_id = o.id), updated_at = now()
  WHERE o.id = (SELECT order_id FROM order_items WHERE id = :i) AND o.order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
END;
