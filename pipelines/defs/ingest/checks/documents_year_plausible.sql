-- Years covered lie between 2000 and next year; a warning, not a failure (0 rows = pass).
-- asset: documents
-- severity: warn
SELECT doc_id, path, year, year_source
FROM documents
WHERE year IS NOT NULL AND (year < 2000 OR year > extract(year FROM current_date) + 1)
