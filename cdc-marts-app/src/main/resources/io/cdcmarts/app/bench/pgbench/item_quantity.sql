-- One of the newest order items (--define items_window=N; bench: twice orders_window) gets a new quantity, its
-- order's total follows: 2 row changes. Repeatable read: the total is summed from the
-- transaction's snapshot, so a concurrent change of the same order makes this one fail with a
-- serialization error, which pgbench's --max-tries runs again, instead of writing a stale sum.
-- Item first, then order, as in every script here, so two of them never wait on each other in a circle.
\set back random(0, :items_window)
\set q random(1, 6)
SELECT coalesce(max(id), 0) - :back AS i FROM order_items \gset
BEGIN ISOLATION LEVEL REPEATABLE READ;
UPDATE order_items i SET quantity = :q::int FROM orders o
  WHERE i.id = :i AND o.id = i.order_id AND o.order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
UPDATE orders o SET total_amount = (SELECT sum(total_price) FROM order_items WHERE order_id = o.id), updated_at = now()
  WHERE o.id = (SELECT order_id FROM order_items WHERE id = :i) AND o.order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
END;
