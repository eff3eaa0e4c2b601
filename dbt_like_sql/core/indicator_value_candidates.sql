-- One row per (county_code, year, indicator_code, document): what each document says about a
-- county-year indicator. Within a document a reviewed fact (corrected or confirmed by an analyst),
-- else the most confident fact (then the first in the text) speaks for it. candidate_rank orders
-- documents by the selection rule: a document with a reviewed figure first (an analyst's decision
-- beats the extractor's), then the county's own report for that year, then the government annual report before a personal 述法 report, then the
-- later-ingested document (then doc_id, for a stable order). indicator_values takes rank 1.
-- materialized: table
WITH per_document AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY county_code, year, indicator_code, doc_id ORDER BY reviewed DESC, confidence DESC, char_start
        ) AS nth_in_document
    FROM stg_facts
)
SELECT
    county_code,
    year,
    indicator_code,
    doc_id,
    fact_no,
    value,
    lower,
    upper,
    unit,
    qualifier,
    masked,
    confidence,
    needs_review,
    rule,
    evidence,
    char_start,
    char_end,
    source,
    reviewed,
    correction_action,
    correction_author,
    correction_note,
    correction_date,
    path,
    report_type,
    report_year,
    from_own_report,
    ingested_at,
    row_number() OVER (
        PARTITION BY county_code, year, indicator_code
        ORDER BY reviewed DESC, from_own_report DESC, report_type_priority, ingested_at DESC, doc_id
    ) AS candidate_rank,
    count(*) OVER (PARTITION BY county_code, year, indicator_code) AS n_candidates
FROM per_document
WHERE nth_in_document = 1
