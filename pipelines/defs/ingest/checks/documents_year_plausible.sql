-- Documents whose year covered is outside 2000 .. next year (0 rows = pass).
SELECT doc_id, path, year, year_source
FROM documents
WHERE year IS NOT NULL AND (year < 2000 OR year > extract(year FROM current_date) + 1)
