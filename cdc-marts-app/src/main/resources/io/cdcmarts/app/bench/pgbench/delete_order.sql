-- One of the newest orders (--define orders_window=N; bench: 30 s of new orders at --rate) is deleted with its items: 1 +
-- its items' row changes. The items go first (not by the cascade), so this script, too, takes
-- items before their order.
\set back random(0, :orders_window)
SELECT coalesce(max(id), 0) - :back AS o FROM orders \gset
BEGIN;
DELETE FROM order_items i USING orders o
  WHERE i.order_id = :o AND o.id = i.order_id AND o.order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
DELETE FROM orders WHERE id = :o AND order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
END;
