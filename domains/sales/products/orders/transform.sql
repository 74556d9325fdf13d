-- The transform of sales/orders: from the view `raw` (the landed files; locally the
-- fixtures) to the columns of contract.odcs.yaml. Write SQL that both DuckDB and Spark SQL 3.5
-- accept. Consumed products appear as views named <domain>_<product>.
-- Seeded by @meshkit/domain-template 0.1.0: yours to edit.
-- sales/orders: the shop's raw order export -> one row per confirmed order.
-- Portable SQL (DuckDB locally, Spark SQL 3.5 in Glue): see packages/runtime/docs/portable-sql.md.
SELECT
  lower(trim(id)) AS order_id,
  lower(trim(email)) AS customer_email,
  total AS amount, -- text: the contract casts it (a value that does not cast is quarantined)
  upper(trim(status)) AS status,
  CAST(TRY_CAST(placed_at AS TIMESTAMP) AS DATE) AS order_date,
  nullif(trim(channel), '') AS channel
FROM raw
WHERE lower(status) <> 'cancelled'
