-- Facts whose indicator is not in dim_indicator or whose document is not in documents (0 rows = pass).
SELECT f.doc_id, f.fact_no, f.indicator_code
FROM indicator_facts AS f
LEFT JOIN dim_indicator AS i ON i.code = f.indicator_code
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE i.code IS NULL OR d.doc_id IS NULL
