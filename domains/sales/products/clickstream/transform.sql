-- The transform of sales/clickstream: from the view `raw` (the stream's records; locally the
-- fixtures) to the columns of contract.odcs.yaml. Write SQL that both DuckDB and Spark SQL 3.5
-- accept. Consumed products appear as views named <domain>_<product>.
-- Seeded by @meshkit/domain-template 0.1.0: yours to edit.
-- sales/clickstream: storefront events (JSON lines from the stream) -> one row per event.
SELECT
  id AS event_id,
  session AS session_id,
  type AS event_type,
  ts AS occurred_at, -- text: the contract casts it (a value that does not cast is quarantined)
  CAST(TRY_CAST(ts AS TIMESTAMP) AS DATE) AS event_date
FROM raw
