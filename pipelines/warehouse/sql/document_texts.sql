-- The stored inputs of metadata detection for the documents in the registered table `wanted`:
-- the title line (the first block, when it is a title), the normalised text (blocks joined by
-- newlines, as ParsedDocument.text), and a web page's <title> and publication date.
SELECT d.doc_id,
       max(CASE WHEN b.block_no = 0 AND b.kind = 'title' THEN b.text END) AS title,
       string_agg(b.text, chr(10) ORDER BY b.block_no) AS text,
       any_value(d.page_title) AS page_title,
       any_value(d.published_on) AS published_on
FROM documents AS d
LEFT JOIN document_blocks AS b USING (doc_id)
WHERE d.doc_id IN (SELECT CAST(doc_id AS VARCHAR) FROM wanted)
GROUP BY d.doc_id
ORDER BY d.doc_id
