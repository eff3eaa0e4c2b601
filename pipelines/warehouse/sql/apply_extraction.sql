-- Apply one run's extraction from the staged tables: the documents in incoming_extractions were
-- (re-)extracted; their old quantities and facts are replaced. Other documents keep theirs,
-- retracted ones included (history). The catalog table is replaced whole.
DELETE FROM indicator_facts WHERE doc_id IN (SELECT doc_id FROM incoming_extractions);
DELETE FROM quantities WHERE doc_id IN (SELECT doc_id FROM incoming_extractions);
DELETE FROM extractions WHERE doc_id IN (SELECT doc_id FROM incoming_extractions);
INSERT INTO quantities BY NAME SELECT * FROM incoming_quantities;
INSERT INTO indicator_facts BY NAME SELECT * FROM incoming_indicator_facts;
INSERT INTO extractions BY NAME SELECT * FROM incoming_extractions;
DELETE FROM indicator_catalog;
INSERT INTO indicator_catalog BY NAME SELECT * FROM incoming_indicator_catalog;

-- Documents whose extraction failed: one ingest_errors row per file holding them, rebuilt every
-- build (the raw layer rewrites ingest_errors from its own failures each run).
DELETE FROM ingest_errors WHERE error_kind = 'extraction_failed';
INSERT INTO ingest_errors (path, bytes, sha256, error_kind, reason, detected_at, mtime_ns)
SELECT f.path, f.bytes, d.sha256, 'extraction_failed', e.error, e.extracted_at, f.mtime_ns
FROM extractions AS e JOIN document_files AS f USING (doc_id) JOIN documents AS d USING (doc_id)
WHERE e.error IS NOT NULL;
