-- Every file that could not be ingested, and why: the build summary lists them.
SELECT path, error_kind, reason FROM ingest_errors ORDER BY path
