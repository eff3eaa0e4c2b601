-- Apply one run's changes to the raw layer from the staged tables:
--   incoming_documents, incoming_document_blocks  new content parsed this run
--   incoming_document_files                       every report file present now, and its document
--   incoming_ingest_errors                        failures found this run
--   incoming_kept_errors                          failed files not retried (unchanged since they failed)
--   incoming_ingest_runs                          this run's summary row
-- Documents are never deleted: content that no file holds any more is retracted (with the time),
-- and revived if a file brings it back.
INSERT INTO documents BY NAME SELECT * FROM incoming_documents;
INSERT INTO document_blocks BY NAME SELECT * FROM incoming_document_blocks;

UPDATE documents SET status = 'retracted', retracted_at = (SELECT finished_at FROM incoming_ingest_runs)
WHERE status = 'ingested' AND doc_id NOT IN (SELECT doc_id FROM incoming_document_files);

UPDATE documents SET status = 'ingested', retracted_at = NULL
WHERE status = 'retracted' AND doc_id IN (SELECT doc_id FROM incoming_document_files);

DELETE FROM document_files;
INSERT INTO document_files BY NAME SELECT * FROM incoming_document_files;

CREATE OR REPLACE TEMP TABLE next_errors AS
SELECT * FROM ingest_errors WHERE path IN (SELECT CAST(path AS VARCHAR) FROM incoming_kept_errors)
UNION ALL BY NAME
SELECT i.* REPLACE (coalesce(p.detected_at, i.detected_at) AS detected_at)
FROM incoming_ingest_errors AS i
LEFT JOIN ingest_errors AS p
  ON p.path = i.path AND p.error_kind = i.error_kind AND p.sha256 IS NOT DISTINCT FROM i.sha256;
DELETE FROM ingest_errors;
INSERT INTO ingest_errors BY NAME SELECT * FROM next_errors;

INSERT INTO ingest_runs BY NAME SELECT * FROM incoming_ingest_runs;
