-- One table's rows of the picked documents, from batch Parquet files: $files are the files to read,
-- picked(doc_id, file) says which file each document is taken from (a document may be in two batches).
SELECT p.* EXCLUDE (filename)
FROM read_parquet($files, filename = true, union_by_name = true) AS p
SEMI JOIN picked ON p.doc_id = picked.doc_id AND p.filename = picked.file
