-- sales/orders: the shop's raw order export -> one row per confirmed order.
-- Portable SQL (DuckDB locally, Spark SQL 3.5 in Glue): see packages/runtime/docs/portable-sql.md.
SELECT
  lower(trim(id)) AS order_id,
  lower(trim(email)) AS customer_email,
  CAST(total AS DECIMAL(12, 2)) AS amount,
  upper(trim(status)) AS status,
  CAST(placed_at AS DATE) AS order_date,
  nullif(trim(channel), '') AS channel
FROM raw
WHERE lower(status) <> 'cancelled'
