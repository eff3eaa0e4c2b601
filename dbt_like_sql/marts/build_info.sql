-- One row: the build that made this warehouse. build_id changes with every published build, so a
-- notebook that keeps a connection open can tell it is reading an older build than the file on disk now
-- holds (pipelines.report.connection.build_is_current).
-- materialized: table
SELECT run_id AS build_id, finished_at AS built_at, extraction_version, input_fingerprint AS inputs_fingerprint,
       files_seen, documents_parsed
FROM ingest_runs
ORDER BY started_at DESC
LIMIT 1
