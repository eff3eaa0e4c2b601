-- The documents in the batch store ($files: its documents.parquet files) that this reader and metadata
-- version made: doc_id, path, format, blocks and the file holding each (one, if a batch was written twice).
SELECT doc_id, path, format, blocks, filename
FROM read_parquet($files, filename = true)
WHERE reader_version = $reader AND metadata_version = $metadata
QUALIFY row_number() OVER (PARTITION BY doc_id, path ORDER BY filename) = 1
