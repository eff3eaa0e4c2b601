-- When the warehouse was built: the latest build's ingest_runs row (one per build; a build that would
-- change nothing is skipped and publishes nothing, so the latest row belongs to the published build).
-- finished_at is when that build finished reading the reports, in UTC, seconds before its models ran
-- and it was published. Read from ingest_runs itself, which every warehouse has, rather than from a
-- model built on it, so older warehouses get a date too.
SELECT max(finished_at) AS built_at
FROM ingest_runs
