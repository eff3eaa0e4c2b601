-- Replace the raw layer with this run's staged rows (tables incoming_*), keeping the
-- first-seen timestamps of documents and errors that were already there, so that a rerun
-- on the same input leaves the tables exactly as they were.
CREATE OR REPLACE TEMP TABLE previous_documents AS SELECT doc_id, ingested_at FROM documents;
CREATE OR REPLACE TEMP TABLE previous_errors AS SELECT path, sha256, error_kind, detected_at FROM ingest_errors;

DELETE FROM document_blocks;
DELETE FROM document_files;
DELETE FROM documents;
DELETE FROM ingest_errors;

INSERT INTO documents BY NAME
SELECT i.* REPLACE (coalesce(p.ingested_at, i.ingested_at) AS ingested_at)
FROM incoming_documents AS i LEFT JOIN previous_documents AS p USING (doc_id);

INSERT INTO document_files BY NAME SELECT * FROM incoming_document_files;

INSERT INTO document_blocks BY NAME SELECT * FROM incoming_document_blocks;

INSERT INTO ingest_errors BY NAME
SELECT i.* REPLACE (coalesce(p.detected_at, i.detected_at) AS detected_at)
FROM incoming_ingest_errors AS i
LEFT JOIN previous_errors AS p
  ON p.path = i.path AND p.error_kind = i.error_kind AND p.sha256 IS NOT DISTINCT FROM i.sha256;
