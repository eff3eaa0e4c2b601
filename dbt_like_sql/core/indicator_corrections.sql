-- One row per line of the corrections file: what it asks, whether it is applied (stale, invalid and
-- superseded lines change nothing) and why not, with the document's county and the extracted value it
-- replaces, for the analyst who reviews the corrections themselves.
-- materialized: table
SELECT
    c.line_no,
    c.status,
    c.reason,
    c.action,
    c.doc_id,
    c.char_start,
    c.figure,
    c.indicator_code,
    c.value,
    c.extracted_value,
    c.fact_year AS year,
    d.county_code,
    d.reported_county_name AS county,
    d.path,
    c.evidence,
    c.note,
    c.author,
    c.date
FROM stg_corrections AS c
LEFT JOIN stg_documents AS d USING (doc_id)
ORDER BY c.line_no
