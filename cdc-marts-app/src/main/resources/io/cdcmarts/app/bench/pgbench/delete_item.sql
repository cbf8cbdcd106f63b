-- One of the newest order items (--define items_window=N; bench: twice orders_window) is deleted, its order's
-- total follows: 2 row changes. The total is lowered by the item's own amount, from the order's
-- newest version (read committed re-reads a row it waited for), so no snapshot can make it stale.
\set back random(0, :items_window)
SELECT coalesce(max(id), 0) - :back AS i FROM order_items \gset
WITH gone AS (DELETE FROM order_items i USING orders o
              WHERE i.id = :i AND o.id = i.order_id AND o.order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00'
              RETURNING i.order_id, i.total_price)
UPDATE orders o SET total_amount = o.total_amount - gone.total_price, updated_at = now()
  FROM gone WHERE o.id = gone.order_id;
