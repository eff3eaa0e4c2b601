-- Every report file points at a stored document (0 rows = pass).
-- asset: document_files
SELECT f.path, f.doc_id
FROM document_files AS f
ANTI JOIN documents AS d USING (doc_id)
