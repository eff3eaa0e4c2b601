-- indicator_values keys, unit and source are never NULL, and a row has a value or bounds.
-- asset: indicator_values
SELECT *
FROM indicator_values
WHERE county_code IS NULL OR year IS NULL OR indicator_code IS NULL OR unit IS NULL OR source_doc_id IS NULL
   OR (value IS NULL AND lower IS NULL AND upper IS NULL)
