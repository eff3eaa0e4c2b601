-- The last build's ingest_runs row: what it read, skipped, parsed and retracted.
SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT 1
