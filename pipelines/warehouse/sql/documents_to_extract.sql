-- Every stored document whose facts are not those of extractor $v reading its present blocks and
-- year: never extracted, extracted by another version, or since re-read (new reader version) or
-- re-dated (its metadata re-derived).
SELECT d.doc_id, d.year, d.reader_version
FROM documents AS d
LEFT JOIN extractions AS e USING (doc_id)
WHERE e.doc_id IS NULL
   OR e.extractor_version <> $v
   OR e.doc_year IS DISTINCT FROM d.year
   OR e.reader_version IS DISTINCT FROM d.reader_version
ORDER BY d.doc_id
