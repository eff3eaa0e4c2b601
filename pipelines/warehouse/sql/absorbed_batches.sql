-- The batches ($files: their extractions.parquet) whose every document the warehouse holds as the
-- batch does: extracted by the same extractor from blocks of the same readers.
SELECT b.filename
FROM read_parquet($files, filename = true) AS b
LEFT JOIN extractions AS w
  ON w.doc_id = b.doc_id AND w.extractor_version = b.extractor_version
 AND w.reader_version IS NOT DISTINCT FROM b.reader_version
GROUP BY b.filename
HAVING count(*) = count(w.doc_id)
