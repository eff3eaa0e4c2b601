-- What the published warehouse holds at one figure: the document, the block text from char_start,
-- the figure (quantity) starting there and the indicators extracted from it. Parameters: $doc_id, $char_start.
WITH blocks AS (
    SELECT
        block_no,
        text,
        (sum(length(text) + 1) OVER (ORDER BY block_no) - length(text) - 1)::BIGINT AS block_start
    FROM document_blocks
    WHERE doc_id = $doc_id
)
SELECT
    d.status,
    d.path,
    d.chars,
    (SELECT substr(text, $char_start - block_start + 1, 40) FROM blocks
     WHERE $char_start >= block_start AND $char_start < block_start + length(text)) AS text_here,
    (SELECT text FROM quantities WHERE doc_id = $doc_id AND char_start = $char_start
     ORDER BY quantity_no LIMIT 1) AS figure,
    (SELECT list({'indicator_code': indicator_code, 'value': value} ORDER BY fact_no) FROM indicator_facts
     WHERE doc_id = $doc_id AND char_start = $char_start) AS facts,
    (SELECT list(char_start::VARCHAR || ' ' || text ORDER BY abs(char_start - $char_start)) [1:5] FROM quantities
     WHERE doc_id = $doc_id) AS nearest_figures
FROM documents AS d
WHERE d.doc_id = $doc_id
