-- Of the documents to extract (todo: doc_id, year, reader_version), those the batch store ($files: its
-- extractions.parquet) holds extracted by extractor $v from the same year and readers, and the file
-- holding each.
SELECT t.doc_id, min(b.filename) AS file
FROM read_parquet($files, filename = true) AS b
JOIN todo AS t
  ON t.doc_id = b.doc_id AND b.doc_year IS NOT DISTINCT FROM t.year
 AND b.reader_version IS NOT DISTINCT FROM t.reader_version
WHERE b.extractor_version = $v
GROUP BY t.doc_id
