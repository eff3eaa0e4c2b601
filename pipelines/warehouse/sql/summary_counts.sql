-- The build summary's headline: documents in the warehouse now, files that failed, their text blocks.
-- Retracted documents (removed or changed files) are history, not counted.
SELECT
    (SELECT count(*) FROM documents WHERE status = 'ingested') AS documents,
    (SELECT count(*) FROM ingest_errors) AS failed,
    (SELECT count(*) FROM document_blocks JOIN documents USING (doc_id) WHERE status = 'ingested') AS blocks
