-- Every document has its blocks stored, and as many as it says (0 rows = pass).
-- asset: documents
SELECT d.doc_id, d.path, d.blocks AS declared, count(b.block_no) AS stored
FROM documents AS d
LEFT JOIN document_blocks AS b USING (doc_id)
GROUP BY d.doc_id, d.path, d.blocks
HAVING count(b.block_no) <> d.blocks OR count(b.block_no) = 0
