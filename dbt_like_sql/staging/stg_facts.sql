-- One row per indicator fact whose county and year are known, with its document's context.
-- from_own_report is true when the report covers the fact's year (not a figure quoted from another year).
-- materialized: view
SELECT
    f.doc_id,
    f.fact_no,
    d.county_code,
    f.fact_year AS year,
    f.indicator_code,
    f.value,
    f.lower,
    f.upper,
    f.unit,
    f.qualifier,
    f.masked,
    f.confidence,
    f.needs_review,
    f.rule,
    f.evidence,
    f.char_start,
    f.char_end,
    d.report_year,
    d.report_type,
    d.report_type_priority,
    d.ingested_at,
    d.path,
    f.fact_year = d.report_year AS from_own_report
FROM indicator_facts AS f
JOIN stg_documents AS d USING (doc_id)
WHERE d.county_code IS NOT NULL AND f.fact_year IS NOT NULL
