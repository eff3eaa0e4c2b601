-- Every applied correction is reflected: a set or added figure is a corrected fact with its value, a
-- rejected or set figure has no extracted fact left for that indicator, a confirmed fact is marked, and
-- the value of a county-year with a corrected figure is the analyst's.
-- asset: indicator_values
WITH applied AS (
    SELECT c.*, d.county_code FROM stg_corrections AS c JOIN stg_documents AS d USING (doc_id)
    WHERE c.status = 'applied' AND d.county_code IS NOT NULL AND c.fact_year IS NOT NULL
)
SELECT a.line_no, a.action, a.doc_id, a.char_start, a.indicator_code, 'corrected figure missing' AS problem
FROM applied AS a
WHERE a.action IN ('set', 'add') AND NOT EXISTS (
    SELECT 1 FROM stg_facts AS f
    WHERE f.doc_id = a.doc_id AND f.char_start = a.char_start AND f.indicator_code = a.indicator_code
      AND f.source = 'corrected' AND f.value = a.value)
UNION ALL
SELECT a.line_no, a.action, a.doc_id, a.char_start, a.indicator_code, 'extracted fact still there'
FROM applied AS a
WHERE a.action IN ('set', 'reject') AND EXISTS (
    SELECT 1 FROM stg_facts AS f
    WHERE f.doc_id = a.doc_id AND f.char_start = a.char_start AND f.source = 'extracted'
      AND (a.action = 'set' OR f.indicator_code = a.indicator_code))
UNION ALL
SELECT a.line_no, a.action, a.doc_id, a.char_start, a.indicator_code, 'confirmed fact not marked'
FROM applied AS a
WHERE a.action = 'confirm' AND NOT EXISTS (
    SELECT 1 FROM stg_facts AS f
    WHERE f.doc_id = a.doc_id AND f.char_start = a.char_start AND f.indicator_code = a.indicator_code
      AND f.correction_action = 'confirm')
UNION ALL
SELECT a.line_no, a.action, a.doc_id, a.char_start, a.indicator_code, 'county-year value is not the corrected one'
FROM applied AS a
JOIN indicator_values AS v ON v.county_code = a.county_code AND v.year = a.fact_year AND v.indicator_code = a.indicator_code
WHERE a.action IN ('set', 'add') AND v.source <> 'corrected'
