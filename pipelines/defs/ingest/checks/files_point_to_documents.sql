-- File rows whose doc_id has no document (0 rows = pass).
SELECT f.path, f.doc_id
FROM document_files AS f
ANTI JOIN documents AS d USING (doc_id)
