"""The ingest domain: files in the raw folder → documents, blocks and errors in DuckDB."""
