-- One of the newest order items (--define items_window=N, bench: 40,000) is deleted, its order's total follows: 2 row changes.
\set back random(0, :items_window)
SELECT last_value - :back AS i FROM order_items_id_seq \gset
WITH gone AS (DELETE FROM order_items i USING orders o
              WHERE i.id = :i AND o.id = i.order_id AND o.order_date >= '1900-01-01'
              RETURNING i.order_id, i.total_price)
UPDATE orders o SET total_amount = o.total_amount - gone.total_price, updated_at = now()
  FROM gone WHERE o.id = gone.order_id;
