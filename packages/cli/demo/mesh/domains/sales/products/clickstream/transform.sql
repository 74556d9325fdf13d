-- sales/clickstream: storefront events (JSON lines from the stream) -> one row per event.
SELECT
  id AS event_id,
  session AS session_id,
  type AS event_type,
  CAST(ts AS TIMESTAMP) AS occurred_at,
  CAST(ts AS DATE) AS event_date
FROM raw
