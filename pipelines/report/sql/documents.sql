-- The reports of one county lineage in this warehouse, oldest year first: what the profile rests on.
SELECT doc_id, file_name, path, format, pages, year, report_type, issuer_role, title,
    county AS county_as_written, ingested_at
FROM documents
WHERE county_lineage_code = $county_code AND status = 'ingested'
ORDER BY year, path
