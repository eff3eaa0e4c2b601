-- Per reason, the documents that can give a county-year value and those that cannot, so a build whose
-- figures all miss indicator_values can say why (every report masks its county, names none, ...).
-- A figure reaches indicator_values when its document's county is known and the figure has a year
-- (dbt_like_sql/staging/stg_facts.sql). reason: attributed, a county_status other than resolved
-- (masked, unknown, ambiguous, not_found: the document has no county code), no_facts (no catalog
-- figure found), no_year (figures, none with a known year).
WITH facts AS (
    SELECT doc_id, count(*) AS facts, count(fact_year) AS dated FROM indicator_facts GROUP BY doc_id
)
SELECT
    CASE
        WHEN coalesce(d.county_lineage_code, d.county_code) IS NULL THEN d.county_status
        WHEN f.facts IS NULL THEN 'no_facts'
        WHEN f.dated = 0 THEN 'no_year'
        ELSE 'attributed'
    END AS reason,
    count(*) AS documents
FROM documents AS d
LEFT JOIN facts AS f USING (doc_id)
WHERE d.status = 'ingested'
GROUP BY reason
ORDER BY documents DESC, reason
