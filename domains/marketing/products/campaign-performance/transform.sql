-- The transform of marketing/campaign-performance: from the view `raw` (the landed files; locally the
-- fixtures) to the columns of contract.odcs.yaml. Write SQL that both DuckDB and Spark SQL 3.5
-- accept. Consumed products appear as views named <domain>_<product>.
-- Seeded by @meshkit/domain-template 0.1.0: yours to edit.
-- marketing/campaign-performance: each campaign's spend with the orders and revenue of its
-- channel, read from the consumed product sales/orders (view sales_orders).
WITH orders_by_channel AS (
  SELECT channel, count(*) AS orders, sum(amount) AS revenue
  FROM sales_orders
  WHERE channel IS NOT NULL
  GROUP BY channel
)
SELECT
  c.campaign_id,
  c.channel,
  CAST(c.spend AS DECIMAL(12, 2)) AS spend,
  coalesce(o.orders, 0) AS orders,
  CAST(coalesce(o.revenue, 0) AS DECIMAL(14, 2)) AS revenue,
  CAST(c.report_date AS DATE) AS report_date
FROM raw AS c
LEFT JOIN orders_by_channel AS o ON o.channel = c.channel
