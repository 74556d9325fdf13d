-- sales/clickstream: storefront events (JSON lines from the stream) -> one row per event.
SELECT
  id AS event_id,
  session AS session_id,
  type AS event_type,
  ts AS occurred_at, -- text: the contract casts it (a value that does not cast is quarantined)
  CAST(TRY_CAST(ts AS TIMESTAMP) AS DATE) AS event_date
FROM raw
