-- The transform of sales/orders: from the view `raw` (the landed files; locally the
-- fixtures) to the columns of contract.odcs.yaml. Write SQL that both DuckDB and Spark SQL 3.5
-- accept. Consumed products appear as views named <domain>_<product>.
-- Seeded by @meshkit/domain-template 0.1.0: yours to edit.
SELECT
  CAST(record_id AS STRING) AS record_id,
  CAST(amount AS DECIMAL(12, 2)) AS amount,
  UPPER(TRIM(status)) AS status,
  CAST(record_date AS DATE) AS record_date
FROM raw
WHERE record_id IS NOT NULL
