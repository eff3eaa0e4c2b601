-- Apply one run's changes to the raw layer from the staged tables:
--   incoming_documents, incoming_document_blocks  content parsed this run: new, or stored and read again
--                                                 (--full, a new reader version), which replaces the stored
--                                                 rows and keeps the first ingestion time (else: the run's)
--   incoming_document_metadata                    stored documents' metadata derived again from their text
--   incoming_document_files                       every report file present now, and its document
--   incoming_ingest_errors                        failures found this run
--   incoming_kept_errors                          failed files not retried (unchanged since they failed)
--   incoming_ingest_runs                          this run's summary row
-- Documents are never deleted: content that no file holds any more is retracted (with the time),
-- and revived if a file brings it back.
CREATE OR REPLACE TEMP TABLE reparsed AS
SELECT doc_id, ingested_at FROM documents WHERE doc_id IN (SELECT doc_id FROM incoming_documents);
DELETE FROM document_blocks WHERE doc_id IN (SELECT doc_id FROM reparsed);
DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM reparsed);
INSERT INTO documents BY NAME
SELECT i.* REPLACE (coalesce(r.ingested_at, (SELECT finished_at FROM incoming_ingest_runs)) AS ingested_at)
FROM incoming_documents AS i LEFT JOIN reparsed AS r USING (doc_id);
INSERT INTO document_blocks BY NAME SELECT * FROM incoming_document_blocks;

UPDATE documents AS d SET
    title = m.title, county = m.county, county_code = m.county_code, county_lineage_code = m.county_lineage_code,
    city = m.city, province = m.province, county_status = m.county_status, county_source = m.county_source,
    year = m.year, year_source = m.year_source, report_type = m.report_type, issuer_role = m.issuer_role,
    metadata_flags = m.metadata_flags, metadata_version = m.metadata_version, metadata_key = m.metadata_key
FROM incoming_document_metadata AS m
WHERE d.doc_id = m.doc_id;

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
