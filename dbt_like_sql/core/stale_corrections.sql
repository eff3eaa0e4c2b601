-- The corrections that no longer match their figure (the document changed or is gone, the text at
-- char_start is another figure, a confirmed value changed): never applied, listed for the analyst to
-- redo with `shufa correct` against the document as it is now.
-- materialized: view
SELECT line_no, action, doc_id, char_start, figure, indicator_code, value, reason, path, note, author, date
FROM indicator_corrections
WHERE status = 'stale'
