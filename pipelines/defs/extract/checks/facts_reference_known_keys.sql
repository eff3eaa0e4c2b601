-- Every fact names a catalog indicator and a stored document (0 rows = pass).
-- asset: indicator_facts
SELECT f.doc_id, f.fact_no, f.indicator_code
FROM indicator_facts AS f
LEFT JOIN indicator_catalog AS i ON i.code = f.indicator_code
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE i.code IS NULL OR d.doc_id IS NULL
