-- Each fact's span is its quantity's span, inside its document's text (0 rows = pass).
-- asset: indicator_facts
SELECT f.doc_id, f.fact_no, f.char_start, f.char_end
FROM indicator_facts AS f
LEFT JOIN quantities AS q ON q.doc_id = f.doc_id AND q.quantity_no = f.quantity_no
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE q.doc_id IS NULL
   OR q.char_start <> f.char_start OR q.char_end <> f.char_end
   OR f.char_start >= f.char_end
   OR f.char_end > d.chars + d.blocks
   OR length(f.evidence) = 0
