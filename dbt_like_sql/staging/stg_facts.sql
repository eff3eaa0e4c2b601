-- One row per indicator fact whose county and year are known, with its document's context, after the
-- analysts' applied corrections (stg_corrections): a rejected figure is gone; a figure that was set is
-- exactly what the analyst said (every extracted fact at that figure gives way to it); an added figure is
-- a fact; a confirmed fact is marked so. source says which: extracted or corrected.
-- from_own_report is true when the report covers the fact's year (not a figure quoted from another year).
-- materialized: view
WITH applied AS (
    SELECT * FROM stg_corrections WHERE status = 'applied'
),
extracted AS (
    SELECT
        f.doc_id, f.fact_no, f.fact_year, f.indicator_code, f.value, f.lower, f.upper, f.unit, f.qualifier, f.masked,
        f.confidence, f.needs_review AND c.line_no IS NULL AS needs_review, f.rule, f.evidence, f.char_start, f.char_end,
        'extracted' AS source,
        c.action AS correction_action, c.author AS correction_author, c.note AS correction_note, c.date AS correction_date
    FROM indicator_facts AS f
    LEFT JOIN applied AS c
        ON c.action = 'confirm' AND c.doc_id = f.doc_id AND c.char_start = f.char_start AND c.indicator_code = f.indicator_code
    WHERE NOT EXISTS (
        SELECT 1 FROM applied AS r
        WHERE r.doc_id = f.doc_id AND r.char_start = f.char_start
          AND (r.action = 'set' OR (r.action = 'reject' AND r.indicator_code = f.indicator_code))
    )
),
corrected AS (
    SELECT
        doc_id, NULL::INTEGER AS fact_no, fact_year, indicator_code, value, value AS lower, value AS upper, unit,
        NULL::VARCHAR AS qualifier, false AS masked, 1.0::DOUBLE AS confidence, false AS needs_review,
        'correction_' || action AS rule, evidence, char_start, char_end,
        'corrected' AS source,
        action AS correction_action, author AS correction_author, note AS correction_note, date AS correction_date
    FROM applied
    WHERE action IN ('set', 'add')
),
facts AS (
    SELECT * FROM extracted
    UNION ALL BY NAME
    SELECT * FROM corrected
)
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
    f.source,
    f.correction_action,
    f.correction_author,
    f.correction_note,
    f.correction_date,
    f.source = 'corrected' OR coalesce(f.correction_action = 'confirm', false) AS reviewed,
    d.report_year,
    d.report_type,
    d.report_type_priority,
    d.ingested_at,
    d.path,
    f.fact_year = d.report_year AS from_own_report
FROM facts AS f
JOIN stg_documents AS d USING (doc_id)
WHERE d.county_code IS NOT NULL AND f.fact_year IS NOT NULL
