-- One of the newest orders (--define orders_window=N; bench: 30 s of new orders at --rate) moves on: pending -> paid (one
-- in ten cancelled), paid -> shipped. 1 row change when it is pending or paid, none otherwise.
-- Orders dated before 1900 (UTC) are bench's markers: never touched.
\set back random(0, :orders_window)
\set r random(1, 10)
SELECT coalesce(max(id), 0) - :back AS o FROM orders \gset
UPDATE orders SET status = CASE WHEN status = 'paid' THEN 'shipped' WHEN :r::int = 1 THEN 'cancelled' ELSE 'paid' END,
                  updated_at = now()
  WHERE id = :o AND status IN ('pending', 'paid') AND order_date >= TIMESTAMPTZ '1900-01-01 00:00:00+00';
