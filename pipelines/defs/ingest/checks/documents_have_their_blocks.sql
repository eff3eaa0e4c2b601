-- Documents whose stored block count disagrees with document_blocks (0 rows = pass).
SELECT d.doc_id, d.path, d.blocks AS declared, count(b.block_no) AS stored
FROM documents AS d
LEFT JOIN document_blocks AS b USING (doc_id)
GROUP BY d.doc_id, d.path, d.blocks
HAVING count(b.block_no) <> d.blocks OR count(b.block_no) = 0
