-- The transform of sales/clickstream: from the view `raw` (the stream's records; locally the
-- fixtures) to the columns of contract.odcs.yaml. Write SQL that both DuckDB and Spark SQL 3.5
-- accept. Consumed products appear as views named <domain>_<product>.
-- Seeded by @meshkit/domain-template 0.1.0: yours to edit.
SELECT
  CAST(event_id AS STRING) AS event_id,
  LOWER(event_type) AS event_type,
  CAST(occurred_at AS TIMESTAMP) AS occurred_at,
  CAST(CAST(occurred_at AS TIMESTAMP) AS DATE) AS event_date
FROM raw
WHERE event_id IS NOT NULL
